/** A TypeScript module the harness page imports, proving Vite transforms repo files. */
export const answer: number = 42;
