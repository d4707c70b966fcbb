import { CONFLUENT_DECIMAL_PROTO, CONFLUENT_META_PROTO } from './confluent';
import { DESCRIPTOR_PROTO } from './google-descriptor';
import * as gp from './google-protobuf';
import * as gt from './google-type';

/**
 * Import paths that resolve without a registered reference, like Confluent's
 * ProtobufSchema.KNOWN_DEPENDENCIES (plus google/type/localized_text.proto).
 * A registered reference with the same name takes precedence.
 */
export const BUNDLED_PROTOS: ReadonlyMap<string, string> = new Map([
  ['confluent/meta.proto', CONFLUENT_META_PROTO],
  ['confluent/type/decimal.proto', CONFLUENT_DECIMAL_PROTO],
  ['google/protobuf/any.proto', gp.ANY_PROTO],
  ['google/protobuf/api.proto', gp.API_PROTO],
  ['google/protobuf/descriptor.proto', DESCRIPTOR_PROTO],
  ['google/protobuf/duration.proto', gp.DURATION_PROTO],
  ['google/protobuf/empty.proto', gp.EMPTY_PROTO],
  ['google/protobuf/field_mask.proto', gp.FIELD_MASK_PROTO],
  ['google/protobuf/source_context.proto', gp.SOURCE_CONTEXT_PROTO],
  ['google/protobuf/struct.proto', gp.STRUCT_PROTO],
  ['google/protobuf/timestamp.proto', gp.TIMESTAMP_PROTO],
  ['google/protobuf/type.proto', gp.TYPE_PROTO],
  ['google/protobuf/wrappers.proto', gp.WRAPPERS_PROTO],
  ['google/type/calendar_period.proto', gt.CALENDAR_PERIOD_PROTO],
  ['google/type/color.proto', gt.COLOR_PROTO],
  ['google/type/date.proto', gt.DATE_PROTO],
  ['google/type/datetime.proto', gt.DATETIME_PROTO],
  ['google/type/dayofweek.proto', gt.DAYOFWEEK_PROTO],
  ['google/type/decimal.proto', gt.DECIMAL_PROTO],
  ['google/type/expr.proto', gt.EXPR_PROTO],
  ['google/type/fraction.proto', gt.FRACTION_PROTO],
  ['google/type/interval.proto', gt.INTERVAL_PROTO],
  ['google/type/latlng.proto', gt.LATLNG_PROTO],
  ['google/type/localized_text.proto', gt.LOCALIZED_TEXT_PROTO],
  ['google/type/money.proto', gt.MONEY_PROTO],
  ['google/type/month.proto', gt.MONTH_PROTO],
  ['google/type/phone_number.proto', gt.PHONE_NUMBER_PROTO],
  ['google/type/postal_address.proto', gt.POSTAL_ADDRESS_PROTO],
  ['google/type/quaternion.proto', gt.QUATERNION_PROTO],
  ['google/type/timeofday.proto', gt.TIMEOFDAY_PROTO],
]);
