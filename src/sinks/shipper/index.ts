export {
  JournalShipper,
  SHIPPER_FAILURE,
  type JournalShipperParams,
  type JournalTip,
  type ShipperLag,
  type ShipperState,
  type ShipperStatus,
} from './journal-shipper.js';
export {
  JournalShipperSink,
  SHIPPER_METRIC,
  shippedResourceOf,
  startJournalShipper,
  type StartShipperParams,
} from './shipper-sink.js';
export { resolveShipperOptions, type JournalShipperOptions, type ResolvedShipperOptions } from './options.js';
export { cursorPathOf, loadCursor, type ShipCursor, type ShippedRecord } from './cursor.js';
export { countLinesAfter } from './backlog.js';
export { readShipperLag, type SavedShipperLag } from './lag-report.js';
