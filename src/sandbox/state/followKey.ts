export function followKey(userid: string, externalUserId: string): string {
  return `${userid}\u0000${externalUserId}`;
}
