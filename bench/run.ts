import { tmpdir } from 'node:os';
import { coldCases } from './cases/cold';
import { hashingCases } from './cases/hashing';
import { hitCases } from './cases/hit';
import { manyCases } from './cases/many';
import { millionCases } from './cases/million';
import { missCases } from './cases/miss';
import { peerCases } from './cases/peers';
import { pythonPeerCases } from './cases/python-peers';
import { redisCases } from './cases/redis';
import { scaleCases } from './cases/scale';
import { stateCases } from './cases/state';
import { uiCases } from './cases/ui';
import { versionCases } from './cases/version';
import type { Context } from './fixtures';
import type { Plan } from './measure';
import { environment, judge, renderTables, writeJson, type Result, type Row } from './report';

const USAGE = `npm run bench [-- [--quick] [--json <file>] [--only 1,3,7] [--dir <tmp base>] [--redis <url>]]`;

const CASES: readonly { readonly ids: readonly string[]; readonly run: (ctx: Context) => Promise<Row[]> }[] = [
  { ids: ['1', '2', '3'], run: hitCases },
  { ids: ['4'], run: hashingCases },
  { ids: ['5'], run: missCases },
  { ids: ['6'], run: scaleCases },
  { ids: ['7'], run: peerCases },
  { ids: ['8'], run: redisCases },
  { ids: ['9'], run: versionCases },
  { ids: ['10'], run: stateCases },
  { ids: ['11'], run: coldCases },
  { ids: ['12'], run: manyCases },
  { ids: ['13'], run: pythonPeerCases },
  { ids: ['14'], run: millionCases },
  { ids: ['15'], run: uiCases },
];

function parse(argv: readonly string[]): { quick: boolean; json?: string; only?: Set<string>; dir: string; redis?: string } {
  const out: { quick: boolean; json?: string; only?: Set<string>; dir: string; redis?: string } = { quick: false, dir: tmpdir() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\nusage: ${USAGE}`);
      return v;
    };
    if (a === '--quick') out.quick = true;
    else if (a === '--json') out.json = value();
    else if (a === '--only') out.only = new Set(value().split(','));
    else if (a === '--dir') out.dir = value();
    else if (a === '--redis') out.redis = value();
    else throw new Error(`unknown argument ${a}\nusage: ${USAGE}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const plan: Plan = args.quick
    ? { maxSamples: 40, minSamples: 10, sampleMs: 1, warmupMs: 30, budgetMs: 300 }
    : { maxSamples: 300, minSamples: 30, sampleMs: 2, warmupMs: 200, budgetMs: 3000 };
  const slowPlan: Plan = args.quick
    ? { maxSamples: 5, minSamples: 3, sampleMs: 1, warmupMs: 0, budgetMs: 500 }
    : { maxSamples: 40, minSamples: 15, sampleMs: 1, warmupMs: 500, budgetMs: 6000 };
  const ctx: Context = { quick: args.quick, plan, slowPlan, base: args.dir, redis: args.redis, log: (m) => process.stderr.write(`${m}\n`) };
  const env = environment(args.quick);
  ctx.log(`funes bench: Node ${env.node}, ${env.platform}, ${env.cpu} x${env.cpus}${args.quick ? ', quick' : ''}`);
  const results: Result[] = [];
  const t0 = Date.now();
  for (const c of CASES) {
    if (args.only && !c.ids.some((id) => args.only!.has(id))) continue;
    const start = Date.now();
    const rows = await c.run(ctx);
    results.push(...rows.filter((r) => !args.only || args.only.has(r.id.split(/[a-z (]/)[0]!)).map(judge));
    ctx.log(`case ${c.ids.join(', ')}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`\nNode ${env.node}, ${env.platform}, ${env.cpu} x${env.cpus}${args.quick ? ' (--quick)' : ''}\n\n`);
  process.stdout.write(`${renderTables(results)}\n\n`);
  const failed = results.filter((r) => r.pass === false);
  process.stdout.write(`${results.filter((r) => r.pass).length} targets met, ${failed.length} missed; ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  if (args.json) writeJson(args.json, args.quick, results);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
