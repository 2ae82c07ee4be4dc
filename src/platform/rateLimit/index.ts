export { SharedRateLimiter, type TakeResult, type WindowLimit } from "./sharedRateLimiter";
