import { Copy, type Dockerfile, DockerfileParser, type Instruction } from 'dockerfile-ast';

/*
 * infra/Dockerfile as stages, for the image tests: which stage a target builds on, what each
 * stage copies and runs.
 */

/** One `FROM ... AS name` stage. */
export interface Stage {
  /** The stage name (`AS ...`). */
  name: string;
  /** Its base: an image, or the name of an earlier stage. */
  base: string;
  /** Its instructions after the FROM. */
  instructions: Instruction[];
}

/** Parses a Dockerfile into its stages, in order. */
export function dockerStages(text: string): { dockerfile: Dockerfile; stages: Stage[] } {
  const dockerfile = DockerfileParser.parse(text);
  const froms = dockerfile.getFROMs();
  const all = dockerfile.getInstructions();
  const stages = froms.map((from, i) => {
    const start = from.getRange().start.line;
    const end = froms[i + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    return {
      name: from.getBuildStage() ?? String(i),
      base: from.getImageName() ?? '',
      instructions: all.filter((ins) => {
        const line = ins.getRange().start.line;
        return line > start && line < end;
      }),
    };
  });
  return { dockerfile, stages };
}

/** A target stage and the stages it builds on, the target first. */
export function stageChain(stages: readonly Stage[], target: string): Stage[] {
  const stage = stages.find((s) => s.name === target);
  if (stage === undefined) return [];
  return [stage, ...stageChain(stages, stage.base)];
}

/** The last value an instruction takes along a target's chain (USER, WORKDIR, ...). */
export function lastOf(chain: readonly Stage[], keyword: string): string | undefined {
  for (const stage of chain) {
    const found = stage.instructions.filter((i) => i.getKeyword() === keyword).at(-1);
    if (found !== undefined) return found.getArgumentsContent() ?? undefined;
  }
  return undefined;
}

/** The `COPY` instructions of a stage as `{ from, sources, destination }`. */
export function copies(
  stage: Stage,
): { from: string | undefined; sources: string[]; destination: string }[] {
  return stage.instructions
    .filter((i): i is Copy => i instanceof Copy)
    .map((copy) => {
      // Flags (--from, --chown) are not among the arguments.
      const args = copy.getArguments().map((arg) => arg.getValue());
      const from = copy.getFromFlag()?.getValue() ?? undefined;
      return { from, sources: args.slice(0, -1), destination: args.at(-1) ?? '' };
    });
}

/** The words of every RUN instruction of a stage, one array per RUN. */
export function runs(stage: Stage): string[][] {
  return stage.instructions
    .filter((i) => i.getKeyword() === 'RUN')
    .map((run) => run.getArguments().map((arg) => arg.getValue()));
}
