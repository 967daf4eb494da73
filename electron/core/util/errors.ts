/**
 * An error a user can meet. Its message is a whole sentence that says what happened and what to do;
 * the API and the CLI show it as it is, while other errors are reported as internal faults.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'user_error',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
