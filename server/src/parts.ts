import type { Logger } from 'pino';

/** A started part of `up` and how to stop it. */
interface StartedPart {
  /** Name used in logs. */
  name: string;
  /** Stops the part; awaited before the part started before it is stopped. */
  stop: () => Promise<void>;
}

/**
 * The parts `up` started, stopped in reverse order, each in its own try/catch so one failure does
 * not keep the others running (Z2M `Controller.stop`). Also undoes a half-finished start.
 */
export class PartStack {
  private readonly parts: StartedPart[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly log: Logger) {}

  /** Records a started part. */
  push(name: string, stop: () => Promise<void>): void {
    this.parts.push({ name, stop });
  }

  /** Stops every part, last started first; resolves once all are stopped. Idempotent. */
  stopAll(): Promise<void> {
    this.stopping ??= this.stopInOrder();
    return this.stopping;
  }

  private async stopInOrder(): Promise<void> {
    for (const part of this.parts.reverse()) {
      try {
        await part.stop();
        this.log.debug({ part: part.name }, 'stopped');
      } catch (err) {
        this.log.error({ err, part: part.name }, 'stop failed');
      }
    }
  }
}
