export function protobufValidator(): never { throw new Error("todo"); }
