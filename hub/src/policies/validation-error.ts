// The validation error shape on its own (no runtime imports), so the console can import the
// policies API types without type-checking the validator's Node code.
export interface PolicyValidationError {
  line: number;
  column: number;
  /** Dotted path into the document ("checks.3.rules.0.pattern"); "" for syntax errors. */
  path: string;
  message: string;
}
