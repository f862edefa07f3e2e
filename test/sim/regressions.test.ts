import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sim/index.js';
import { simulate } from '../../src/sim/index.js';

/**
 * Every seed that ever failed, with the options it failed under and what was wrong. Since the seed
 * draws the faults' parameters (and the disk takes time), a seed replays a different run than
 * when it failed: each entry says which seed reaches the scenario now (checked by counting the
 * scenario's events: a restarted primary re-sending its proposal, a VIEW-CHANGE proving its
 * height with an installed checkpoint's certificate, a body refused for its transaction root, two
 * view changes in a row away from Byzantine primaries after the heal…); the original seeds stay.
 */
const regressions: { name: string; seed: number; replicas: number; faults: Fault[]; duration: number; pipeline?: number }[] = [
  { name: 'restarted primary proposed a second block in its view (false evidence); no longer reached, see seed 22', seed: 13, replicas: 4, faults: ['delay', 'crash', 'equivocate-primary', 'equivocate-votes', 'bad-signatures', 'fake-viewchange'], duration: 4 },
  { name: 'restarted primary proposed a second block in its view (false evidence)', seed: 22, replicas: 4, faults: ['delay', 'crash', 'equivocate-primary', 'equivocate-votes', 'bad-signatures', 'fake-viewchange'], duration: 4 },
  { name: 'view change after installing a checkpoint had no commit certificate (now reached after a restart, not an install; see seed 168)', seed: 32, replicas: 4, faults: ['drop', 'crash', 'equivocate-primary', 'equivocate-votes'], duration: 4 },
  { name: 'view change after installing a checkpoint had no commit certificate', seed: 168, replicas: 4, faults: ['drop', 'crash', 'equivocate-primary', 'equivocate-votes'], duration: 4 },
  { name: 'checkpoint never stabilised at a replica that caught up by transfer', seed: 49, replicas: 4, faults: ['drop', 'equivocate-primary', 'silence', 'fake-viewchange'], duration: 4 },
  { name: 'corrupted block body under a valid header reached execution', seed: 315, replicas: 4, faults: ['drop', 'partition', 'isolate', 'equivocate-votes', 'bad-signatures', 'replay'], duration: 4 },
  { name: 'corrupted request payload committed (validity); no longer reached, see seed 2', seed: 485, replicas: 4, faults: ['delay', 'drop', 'isolate', 'equivocate-votes', 'bad-signatures', 'malformed'], duration: 4 },
  { name: 'corrupted request payload committed (validity)', seed: 2, replicas: 4, faults: ['delay', 'drop', 'isolate', 'equivocate-votes', 'bad-signatures', 'malformed'], duration: 4 },
  { name: 'liveness after a crash and a silent Byzantine replica', seed: 390, replicas: 4, faults: ['delay', 'crash', 'silence'], duration: 6 },
  { name: 'views raced: the new-view timer started before 2f+1 view changes were held', seed: 8, replicas: 7, faults: ['crash', 'equivocate-votes', 'malformed', 'silence'], duration: 5 },
  { name: 'two Byzantine primaries in a row after the heal: timeouts must not double on installed views; no longer reached, see seed 23', seed: 42, replicas: 7, faults: ['delay', 'drop', 'isolate', 'crash', 'equivocate-primary', 'equivocate-votes', 'bad-signatures', 'malformed', 'fake-viewchange'], duration: 5 },
  { name: 'two Byzantine primaries in a row after the heal: timeouts must not double on installed views', seed: 23, replicas: 7, faults: ['drop', 'duplicate', 'reorder', 'isolate', 'slow-disk', 'equivocate-primary'], duration: 5 },
  { name: 'one replica alone in a higher view, the rest short of a quorum below (view change never re-sent)', seed: 4211, replicas: 4, faults: ['reorder', 'isolate', 'crash', 'silence'], duration: 5 },
  { name: 'same deadlock with a Byzantine replica faking view changes', seed: 4310, replicas: 4, faults: ['delay', 'reorder', 'isolate', 'crash', 'bad-signatures', 'replay', 'silence', 'fake-viewchange'], duration: 5 },
  {
    name: 'a replica restarted with its log cut below the height it had committed (a damaged entry) voted again where it had voted, for another block the Byzantine primary proposed to it (the vote floor; fails without it)',
    seed: 294,
    replicas: 4,
    faults: ['corrupt-disk', 'equivocate-primary'],
    duration: 5,
  },
  {
    name: 'the same deadlock after a restart: the VIEW-CHANGE of the view left was not persisted, so the restarted replica stopped re-sending it and the two honest replicas below never reached a quorum',
    seed: 9014,
    replicas: 4,
    faults: ['drop', 'duplicate', 'reorder', 'partition', 'crash', 'equivocate-primary', 'equivocate-votes', 'silence', 'fake-viewchange'],
    duration: 5,
  },
  {
    name: 'a replica whose new-view timer fired first (its timeouts had been reset sooner) left for the next view alone; the others installed the late NEW-VIEW (now: a complaint, and f+1 to leave)',
    seed: 22,
    replicas: 4,
    faults: ['drop', 'isolate', 'crash', 'corrupt-disk', 'bad-signatures', 'replay', 'malformed', 'fake-viewchange'],
    duration: 5,
  },
  {
    name: 'a replica one block behind with requests pending never learned it was behind once proposals stopped (now: a replica whose timer fires asks a rotating peer)',
    seed: 94,
    replicas: 4,
    faults: ['delay', 'partition', 'isolate', 'crash', 'slow-disk', 'equivocate-votes', 'bad-signatures', 'forge-txs', 'invalid-txs'],
    duration: 5,
  },
  {
    name: 'corruption took the only honest copies of a committed block (two honest replicas, the second while the first was still down) and the Byzantine one never served it (transfer-lies): beyond the fault model; corruption is now budgeted (fewer than f other honest replicas damaged)',
    seed: 636,
    replicas: 4,
    faults: ['delay', 'drop', 'duplicate', 'partition', 'torn-write', 'corrupt-disk', 'equivocate-votes', 'malformed', 'fake-viewchange', 'forge-txs', 'selective-viewchange', 'subset-newview', 'transfer-lies'],
    duration: 5,
  },
  {
    name: 'false evidence: a primary whose write entering the view was torn after the NEW-VIEW record restarted in the view change, served that NEW-VIEW in a TRANSFER, then signed a second one from VIEW-CHANGEs in another order (now: it enters with the one it signed)',
    seed: 4388,
    replicas: 4,
    faults: ['delay', 'reorder', 'isolate', 'crash', 'torn-write', 'corrupt-disk', 'equivocate-votes', 'silence', 'fake-viewchange', 'invalid-txs', 'forge-replies', 'selective-viewchange', 'one-way'],
    duration: 5,
  },
  {
    name: 'a replica whose NEW-VIEW did not come complained and left its view change on its complaint and a flooding Byzantine VIEW-CHANGE; the others had installed the view and never followed (now: the signals a replica leaves on are passed on, VIEW-CHANGEs included)',
    seed: 1949,
    replicas: 4,
    faults: ['delay', 'duplicate', 'isolate', 'crash', 'torn-write', 'replay', 'forge-txs', 'reorder-txs', 'censor', 'flood', 'transfer-lies'],
    duration: 5,
  },
  {
    name: 'pipelined (W = 2): the Byzantine replica alone committed two blocks from honest COMMITs, its VIEW-CHANGE made them the new base, and it served them to no one; the honest replicas, which had only prepared them, stalled (now: a new view re-runs the base\'s ancestors; fails without it)',
    seed: 56,
    replicas: 4,
    faults: ['delay', 'duplicate', 'reorder', 'crash', 'torn-write', 'equivocate-votes', 'replay-txs', 'censor', 'forge-replies', 'transfer-lies', 'one-way'],
    duration: 5,
    pipeline: 2,
  },
  {
    name: 'pipelined (W = 8): a replica restarted with its log cut below its floor (13) kept off slots 12–13 in a later view, where the new view re-ran them: only two honest replicas could vote, the Byzantine one withheld (now: the floor bars votes only in views up to the one its hard state recorded; fails without it)',
    seed: 5504,
    replicas: 4,
    faults: ['drop', 'isolate', 'crash', 'slow-disk', 'corrupt-disk', 'equivocate-primary', 'equivocate-votes', 'bad-signatures', 'replay', 'malformed', 'fake-viewchange', 'forge-txs', 'reorder-txs', 'invalid-txs', 'withhold-commit', 'selective-viewchange', 'subset-newview', 'transfer-lies'],
    duration: 5,
    pipeline: 8,
  },
  { name: 'liveness with n = 7 and two Byzantine replicas', seed: 13, replicas: 7, faults: ['delay', 'crash', 'equivocate-primary', 'equivocate-votes', 'bad-signatures', 'fake-viewchange'], duration: 6 },
];

describe('simulator regressions', () => {
  for (const r of regressions) {
    it(`seed ${r.seed} (n=${r.replicas}${r.pipeline ? `, W=${r.pipeline}` : ''}): ${r.name}`, () => {
      const result = simulate({ seed: r.seed, replicas: r.replicas, faults: r.faults, duration: r.duration, ...(r.pipeline ? { replica: { pipeline: r.pipeline } } : {}) });
      expect(result.violations).toEqual([]);
      expect(result.committedBlocks).toBeGreaterThan(0);
    });
  }
});
