export { addBalance, recordCashReceived, type AddBalanceInput, type CashReceivedInput } from "./credits";
export { activateSubscription, chargeSummary, renewSubscription, type ActivateInput, type RenewInput, type ChargeResult, type ChargeSummary } from "./charges";
export { reverseEntry, type ReverseInput } from "./reversal";
export { setCollectionLimit, setResellerType, type TermsResult } from "./terms";
export { assertCanCharge, canCharge } from "./rules";
export { systemActor, type Actor } from "./actor";
export { postingSummary, type PostingResult, type PostingSummary } from "./posting";
