// The WebAssembly types elman's declarations name, for projects compiled without the DOM lib (a
// Node-only `lib: ["ES2022"]`): empty interfaces that merge with the DOM lib's full ones where present.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace WebAssembly {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface Module {}
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface Memory {}
  }
}

export {};
