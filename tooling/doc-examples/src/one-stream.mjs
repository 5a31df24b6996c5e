// Preloaded (`node --import`) into every example's process: console.error and
// console.warn write to stdout like console.log. The checker reads stdout and
// stderr through two pipes, whose chunks arrive in no fixed order, so a value an
// example printed with console.error could come after the marker that follows its
// statement and read as "printed nothing" (it did, on a loaded CI machine). One
// stream keeps the order in which the example printed.
console.error = console.log;
console.warn = console.log;
