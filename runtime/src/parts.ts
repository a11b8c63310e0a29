import type { Logger } from 'pino';

/** A started part of a command and how to stop it. */
interface StartedPart {
  /** Name used in logs. */
  name: string;
  /** Stops the part; awaited before the part started before it is stopped. */
  stop: () => Promise<void> | void;
}

/**
 * The parts a command started, stopped in reverse order, each in its own try/catch so one
 * failure does not keep the others running (Z2M `Controller.stop`). Also undoes a half-finished
 * start: push each part as soon as it is started.
 */
export class PartStack {
  private readonly parts: StartedPart[] = [];
  private stopping: Promise<boolean> | null = null;

  constructor(private readonly log: Logger) {}

  /** Records a started part. */
  push(name: string, stop: () => Promise<void> | void): void {
    this.parts.push({ name, stop });
  }

  /**
   * Stops every part, last started first; resolves once all are stopped, with false when one of
   * them failed to stop (logged). Idempotent.
   */
  stopAll(): Promise<boolean> {
    this.stopping ??= this.stopInOrder();
    return this.stopping;
  }

  private async stopInOrder(): Promise<boolean> {
    let clean = true;
    for (const part of this.parts.reverse()) {
      try {
        await part.stop();
        this.log.debug({ part: part.name }, 'stopped');
      } catch (err) {
        clean = false;
        this.log.error({ err, part: part.name }, 'stop failed');
      }
    }
    return clean;
  }
}
