// Express 4 is installed under the alias `express4` to test both majors side by side.
declare module 'express4' {
  const express4: () => any;
  export default express4;
}
