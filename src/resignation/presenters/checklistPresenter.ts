import type { EntityManager } from "typeorm";
import type { Checklist } from "../../../miniprogram/services/types";
import { displayNames } from "../../org";
import type { ChecklistRole } from "../commands/checklist";
import { loadItems, loadSignatures } from "../store/checklistStore";
import { presentChecklist } from "./documentPresenters";

/** The case's handover checklist as the mini-program and HR read it (contract `Checklist`), with names, not userids. */
export async function loadChecklistView(manager: EntityManager, caseId: string, myRole: ChecklistRole | null): Promise<Checklist> {
  const items = await loadItems(manager, caseId);
  const names = await displayNames(manager, items.flatMap((i) => (i.doneBy && i.doneBy !== "system" ? [i.doneBy] : [])));
  return presentChecklist(items, await loadSignatures(manager, caseId), myRole, names);
}
