import type { Clock } from "../../platform/clock";
import type { CallbackDeliverer, CallbackDelivery } from "../callbacks/deliverer";
import { changeExternalContact, opaqueCode } from "../callbacks/events";
import { ERR } from "../errcodes";
import { NINETY_DAYS_MS } from "../state/quotaTime";
import type { SandboxState } from "../state/sandboxState";
import type { CustomerTransfer } from "../state/types";

export const TAKEOVER_DELAY_MS = 24 * 3_600_000;
export const MAX_TRANSFERS_PER_90_DAYS = 2;

export interface TransferRequest {
  kind: CustomerTransfer["kind"];
  handover: string;
  takeover: string;
  externalUserIds: string[];
  successMessage?: string;
}

/**
 * The customer-transfer lifecycle: requested → waiting 24 h → done, refused
 * by the customer, or over the takeover member's customer cap. Completion
 * moves the follow relation and emits the callbacks WeCom emits.
 */
export class CustomerTransfers {
  constructor(
    private readonly state: SandboxState,
    private readonly clock: Clock,
    private readonly callbacks: CallbackDeliverer,
  ) {}

  /** Starts what it can; returns one errcode per requested customer (0 = started). */
  request(req: TransferRequest): Array<{ external_userid: string; errcode: number }> {
    return req.externalUserIds.map((externalUserId) => {
      const errcode = this.refusal(req, externalUserId);
      if (errcode === 0) this.start(req, externalUserId);
      return { external_userid: externalUserId, errcode };
    });
  }

  /**
   * Per-customer refusals (go-workwx errcodes/mod.go meanings): 40096 unknown external_userid; 84061
   * 不存在外部联系人的关系 (the relation existed and is gone: the customer deleted the member); 40131
   * handover_userid 并不是外部联系人的跟进人; 40130 same member; 40129 当前客户正在转接中 (to this
   * takeover) / 40100 已经在转移流程中 (to another one — the sandbox's reading of the two); 40099 the
   * takeover member is at their customer cap; 40128 2 on-job transfers in 90 days.
   */
  private refusal(req: TransferRequest, externalUserId: string): number {
    if (!this.state.externalContacts.has(externalUserId)) return ERR.invalidExternalUserId;
    if (!this.state.follow(req.handover, externalUserId)) {
      return this.state.deletedRelations.has(`${req.handover}\u0000${externalUserId}`) ? ERR.noRelation : ERR.notFollower;
    }
    if (req.handover === req.takeover) return ERR.sameHandoverAndTakeover;
    const waiting = this.waitingFor(externalUserId);
    if (waiting) return waiting.takeover === req.takeover ? ERR.alreadyTransferring : ERR.alreadyMoving;
    if (this.state.followsOf(req.takeover).length >= this.state.limits.customerCap) return ERR.takeoverFull;
    if (req.kind === "onjob" && this.recentOnJobTransfers(externalUserId) >= MAX_TRANSFERS_PER_90_DAYS) {
      return ERR.tooFrequent;
    }
    return 0;
  }

  private start(req: TransferRequest, externalUserId: string): void {
    const now = this.clock.now();
    this.state.transfers.push({
      kind: req.kind,
      handover: req.handover,
      takeover: req.takeover,
      externalUserId,
      status: 2,
      requestedAt: now,
      takeoverTime: new Date(now.getTime() + TAKEOVER_DELAY_MS),
      successMessage: req.successMessage,
    });
  }

  /** Transfers of one (kind, handover, takeover) pair, oldest first, as transfer_result lists them. */
  results(kind: CustomerTransfer["kind"], handover: string, takeover: string): CustomerTransfer[] {
    return this.state.transfers.filter((t) => t.kind === kind && t.handover === handover && t.takeover === takeover);
  }

  waitingFor(externalUserId: string): CustomerTransfer | undefined {
    return this.state.transfers.find((t) => t.externalUserId === externalUserId && t.status === 2);
  }

  /** Completes every transfer whose 24 h are over; returns the callbacks it fired. */
  completeDue(): Array<Promise<CallbackDelivery>> {
    const now = this.clock.now().getTime();
    return this.state.transfers
      .filter((t) => t.status === 2 && t.takeoverTime.getTime() <= now)
      .flatMap((t) => this.complete(t));
  }

  /** The customer declines to be handed over: status 3 and transfer_fail. */
  refuse(externalUserId: string): Promise<CallbackDelivery> {
    const transfer = this.waitingFor(externalUserId);
    if (!transfer) throw new Error(`sandbox: no waiting transfer for ${externalUserId}`);
    transfer.status = 3;
    return this.callbacks.send(
      changeExternalContact(transfer.takeover, externalUserId, { changeType: "transfer_fail", failReason: "customer_refused" }),
    );
  }

  private complete(transfer: CustomerTransfer): Array<Promise<CallbackDelivery>> {
    const { takeover, handover, externalUserId } = transfer;
    if (this.state.followsOf(takeover).length >= this.state.limits.customerCap) {
      transfer.status = 4;
      return [
        this.callbacks.send(
          changeExternalContact(takeover, externalUserId, { changeType: "transfer_fail", failReason: "customer_limit_exceed" }),
        ),
      ];
    }
    transfer.status = 1;
    this.state.removeFollow(handover, externalUserId);
    if (this.state.follow(takeover, externalUserId)) {
      // Already the customer's friend: the relation stays as it is and WeCom fires no add_external_contact,
      // so only transfer_result shows the takeover. Source: the reference's corrections (citing path/96325, 96331,
      // 96334); those pages were not in the search corpus, so this one is not independently re-verified.
      return transfer.kind === "onjob"
        ? [this.callbacks.send(changeExternalContact(handover, externalUserId, { changeType: "del_external_contact", source: "DELETE_BY_TRANSFER" }))]
        : [];
    }
    // Native inheritance does not carry the predecessor's remark or tags over.
    this.state.addFollow({
      userid: takeover,
      externalUserId,
      remark: "",
      description: "",
      createdAt: transfer.takeoverTime,
      tags: [],
      addWay: 0,
      operUserid: takeover,
      state: "",
    });
    const fired = [
      this.callbacks.send(
        changeExternalContact(takeover, externalUserId, { changeType: "add_external_contact", welcomeCode: opaqueCode() }),
      ),
    ];
    if (transfer.kind === "onjob") {
      fired.push(
        this.callbacks.send(
          changeExternalContact(handover, externalUserId, { changeType: "del_external_contact", source: "DELETE_BY_TRANSFER" }),
        ),
      );
    }
    return fired;
  }

  private recentOnJobTransfers(externalUserId: string): number {
    const since = this.clock.now().getTime() - NINETY_DAYS_MS;
    return this.state.transfers.filter(
      (t) => t.kind === "onjob" && t.externalUserId === externalUserId && t.requestedAt.getTime() > since && t.status !== 3,
    ).length;
  }
}
