/**
 * Google common types (google/type/*.proto), bundled because Confluent resolves them without
 * registration (ProtobufSchema KNOWN_DEPENDENCIES).
 * Source: https://github.com/googleapis/googleapis/tree/master/google/type
 * (text as shipped in google-gax build/protos; comments removed, declarations unchanged).
 *
 * Copyright Google LLC. Licensed under the Apache License, Version 2.0 (the "License"); you may not
 * use this file except in compliance with the License. You may obtain a copy of the License at
 * http://www.apache.org/licenses/LICENSE-2.0 . Unless required by applicable law or agreed to in
 * writing, software distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 * WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 */

/** google/type/calendar_period.proto */
export const CALENDAR_PERIOD_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/calendarperiod;calendarperiod";\noption java_multiple_files = true;\noption java_outer_classname = "CalendarPeriodProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nenum CalendarPeriod {\n  CALENDAR_PERIOD_UNSPECIFIED = 0;\n  DAY = 1;\n  WEEK = 2;\n  FORTNIGHT = 3;\n  MONTH = 4;\n  QUARTER = 5;\n  HALF = 6;\n  YEAR = 7;\n}\n';

/** google/type/color.proto */
export const COLOR_PROTO =
  'syntax = "proto3";\npackage google.type;\nimport "google/protobuf/wrappers.proto";\noption go_package = "google.golang.org/genproto/googleapis/type/color;color";\noption java_multiple_files = true;\noption java_outer_classname = "ColorProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Color {\n  float red = 1;\n  float green = 2;\n  float blue = 3;\n  google.protobuf.FloatValue alpha = 4;\n}\n';

/** google/type/date.proto */
export const DATE_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/date;date";\noption java_multiple_files = true;\noption java_outer_classname = "DateProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Date {\n  int32 year = 1;\n  int32 month = 2;\n  int32 day = 3;\n}\n';

/** google/type/datetime.proto */
export const DATETIME_PROTO =
  'syntax = "proto3";\npackage google.type;\nimport "google/protobuf/duration.proto";\noption go_package = "google.golang.org/genproto/googleapis/type/datetime;datetime";\noption java_multiple_files = true;\noption java_outer_classname = "DateTimeProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage DateTime {\n  int32 year = 1;\n  int32 month = 2;\n  int32 day = 3;\n  int32 hours = 4;\n  int32 minutes = 5;\n  int32 seconds = 6;\n  int32 nanos = 7;\n  oneof time_offset {\n    google.protobuf.Duration utc_offset = 8;\n    TimeZone time_zone = 9;\n  }\n}\nmessage TimeZone {\n  string id = 1;\n  string version = 2;\n}\n';

/** google/type/dayofweek.proto */
export const DAYOFWEEK_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/dayofweek;dayofweek";\noption java_multiple_files = true;\noption java_outer_classname = "DayOfWeekProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nenum DayOfWeek {\n  DAY_OF_WEEK_UNSPECIFIED = 0;\n  MONDAY = 1;\n  TUESDAY = 2;\n  WEDNESDAY = 3;\n  THURSDAY = 4;\n  FRIDAY = 5;\n  SATURDAY = 6;\n  SUNDAY = 7;\n}\n';

/** google/type/decimal.proto */
export const DECIMAL_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/decimal;decimal";\noption java_multiple_files = true;\noption java_outer_classname = "DecimalProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Decimal {\n  string value = 1;\n}\n';

/** google/type/expr.proto */
export const EXPR_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/expr;expr";\noption java_multiple_files = true;\noption java_outer_classname = "ExprProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Expr {\n  string expression = 1;\n  string title = 2;\n  string description = 3;\n  string location = 4;\n}\n';

/** google/type/fraction.proto */
export const FRACTION_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/fraction;fraction";\noption java_multiple_files = true;\noption java_outer_classname = "FractionProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Fraction {\n  int64 numerator = 1;\n  int64 denominator = 2;\n}\n';

/** google/type/interval.proto */
export const INTERVAL_PROTO =
  'syntax = "proto3";\npackage google.type;\nimport "google/protobuf/timestamp.proto";\noption go_package = "google.golang.org/genproto/googleapis/type/interval;interval";\noption java_multiple_files = true;\noption java_outer_classname = "IntervalProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Interval {\n  google.protobuf.Timestamp start_time = 1;\n  google.protobuf.Timestamp end_time = 2;\n}\n';

/** google/type/latlng.proto */
export const LATLNG_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/latlng;latlng";\noption java_multiple_files = true;\noption java_outer_classname = "LatLngProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage LatLng {\n  double latitude = 1;\n  double longitude = 2;\n}\n';

/** google/type/localized_text.proto */
export const LOCALIZED_TEXT_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/localized_text;localized_text";\noption java_multiple_files = true;\noption java_outer_classname = "LocalizedTextProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage LocalizedText {\n  string text = 1;\n  string language_code = 2;\n}\n';

/** google/type/money.proto */
export const MONEY_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/money;money";\noption java_multiple_files = true;\noption java_outer_classname = "MoneyProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Money {\n  string currency_code = 1;\n  int64 units = 2;\n  int32 nanos = 3;\n}\n';

/** google/type/month.proto */
export const MONTH_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/month;month";\noption java_multiple_files = true;\noption java_outer_classname = "MonthProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nenum Month {\n  MONTH_UNSPECIFIED = 0;\n  JANUARY = 1;\n  FEBRUARY = 2;\n  MARCH = 3;\n  APRIL = 4;\n  MAY = 5;\n  JUNE = 6;\n  JULY = 7;\n  AUGUST = 8;\n  SEPTEMBER = 9;\n  OCTOBER = 10;\n  NOVEMBER = 11;\n  DECEMBER = 12;\n}\n';

/** google/type/phone_number.proto */
export const PHONE_NUMBER_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/phone_number;phone_number";\noption java_multiple_files = true;\noption java_outer_classname = "PhoneNumberProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage PhoneNumber {\n  message ShortCode {\n    string region_code = 1;\n    string number = 2;\n  }\n  oneof kind {\n    string e164_number = 1;\n    ShortCode short_code = 2;\n  }\n  string extension = 3;\n}\n';

/** google/type/postal_address.proto */
export const POSTAL_ADDRESS_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/postaladdress;postaladdress";\noption java_multiple_files = true;\noption java_outer_classname = "PostalAddressProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage PostalAddress {\n  int32 revision = 1;\n  string region_code = 2;\n  string language_code = 3;\n  string postal_code = 4;\n  string sorting_code = 5;\n  string administrative_area = 6;\n  string locality = 7;\n  string sublocality = 8;\n  repeated string address_lines = 9;\n  repeated string recipients = 10;\n  string organization = 11;\n}\n';

/** google/type/quaternion.proto */
export const QUATERNION_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/quaternion;quaternion";\noption java_multiple_files = true;\noption java_outer_classname = "QuaternionProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage Quaternion {\n  double x = 1;\n  double y = 2;\n  double z = 3;\n  double w = 4;\n}\n';

/** google/type/timeofday.proto */
export const TIMEOFDAY_PROTO =
  'syntax = "proto3";\npackage google.type;\noption go_package = "google.golang.org/genproto/googleapis/type/timeofday;timeofday";\noption java_multiple_files = true;\noption java_outer_classname = "TimeOfDayProto";\noption java_package = "com.google.type";\noption objc_class_prefix = "GTP";\nmessage TimeOfDay {\n  int32 hours = 1;\n  int32 minutes = 2;\n  int32 seconds = 3;\n  int32 nanos = 4;\n}\n';
