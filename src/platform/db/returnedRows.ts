/**
 * TypeORM's query() answers INSERT … RETURNING with the rows, but UPDATE and
 * DELETE … RETURNING with [rows, affectedCount]. The rows, either way.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number") return result[0] as T[];
  return result as T[];
}
