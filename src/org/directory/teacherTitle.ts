/**
 * How a member is named as a teacher in text a parent or colleague reads: "王芳" → "王芳老师". WeCom
 * names are free text and schools often enter the title already ("王老师", "Amy老师"), so the title is
 * added only when the name does not end with it — the one place a 老师 suffix is put on a name, so
 * nothing ever reads "王老师老师". No name at all reads "新老师", never an id.
 */
export function teacherTitle(name: string | null | undefined): string {
  const trimmed = (name ?? "").trim();
  if (trimmed === "") return "新老师";
  return trimmed.endsWith("老师") ? trimmed : `${trimmed}老师`;
}
