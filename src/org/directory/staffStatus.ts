/** WeCom member status codes (user/get `status`). */
export const StaffStatus = {
  active: 1,
  disabled: 2,
  notActivated: 4,
  left: 5,
} as const;
