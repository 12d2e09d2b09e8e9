// The little of fontkit (pdfkit's font engine) the project calls: parsing a font once, for every document.
declare module 'fontkit' {
  /** A parsed font; pdfkit takes it in place of the file's bytes. */
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array): Font;
}
