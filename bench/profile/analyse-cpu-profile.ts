/**
 * Summarises a `.cpuprofile` from `node --cpu-prof`: top functions by self time, and self and
 * inclusive time by area (package, Node module, platform folder).
 *
 *   node --import tsx bench/profile/analyse-cpu-profile.ts <file.cpuprofile> [rows]
 */
import { indexProfile, readCpuProfile } from './cpu-profile.ts';
import { profileSummaryMarkdown, summariseProfile } from './summarise-profile.ts';

const [path, rows] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: analyse-cpu-profile.ts <file.cpuprofile> [rows]\n');
  process.exit(2);
}
const limit = Number(rows ?? 20);
if (!Number.isInteger(limit) || limit < 1) {
  process.stderr.write(`rows must be a positive whole number, not ${rows}\n`);
  process.exit(2);
}
const summary = summariseProfile(indexProfile(await readCpuProfile(path)), limit);
process.stdout.write(`${profileSummaryMarkdown(summary, limit)}\n`);
