/** Receives what a subscriber's handler threw, so one faulty handler never silences the others. */
export type HandlerErrorReporter = (error: unknown, channel: string) => void;

/**
 * The default reporter: a process warning, so a broken handler is visible without a logger being
 * wired and without crashing the process the way an uncaught exception would.
 */
export const warnAboutHandlerError: HandlerErrorReporter = (error, channel) => {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`a handler of channel "${channel}" threw: ${message}`, {
    type: 'EventBusHandlerError',
    detail: error instanceof Error ? error.stack : undefined,
  });
};
