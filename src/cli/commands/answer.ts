/**
 * `flushlab claims [--json]`: the claim ledger of the thread, computed (check/claims.ts).
 * `flushlab reply`: the answer to the thread as a mail, every verdict with the command that
 * reproduces it (check/answer.ts, present/reply.ts). Both exit 0, or 3 when a budget left a
 * check inconclusive (then the answer is not one).
 */
import type { Command } from 'commander';
import { EXIT, type Io } from '../io';
import { claimsJson, evaluateClaims } from '../../check/claims';
import { computeAnswer } from '../../check/answer';
import { claimLedgerText } from '../../present/claimLedger';
import { replyText } from '../../present/reply';
import { version } from '../../version';

export function registerAnswer(program: Command, io: Io, setExit: (code: number) => void): void {
  program.command('claims').description('the claims of the March 2026 thread, each checked by the model (J1-J6, B1-B4)')
    .option('--json', 'print JSON: [{id, who, date, quote, result, decidedBy, command}]')
    .addHelpText('after', `
Examples:
  flushlab claims
  flushlab claims --json`)
    .action((o: { json?: boolean }) => {
      const results = evaluateClaims();
      const open = results.some((r) => r.answers.some((a) => a.verdict === 'inconclusive'));
      setExit(open ? EXIT.inconclusive : EXIT.ok);
      io.out(o.json ? JSON.stringify(claimsJson(results), null, 2) : claimLedgerText(results));
    });

  program.command('reply').description('the answer to the thread as a plain-text mail (72 columns), every verdict reproducible')
    .option('--json', 'print JSON: the reply as {text}')
    .addHelpText('after', `
Examples:
  flushlab reply > reply.txt`)
    .action((o: { json?: boolean }) => {
      const answer = computeAnswer();
      const open = answer.claims.some((r) => r.answers.some((a) => a.verdict === 'inconclusive'));
      setExit(open ? EXIT.inconclusive : EXIT.ok);
      const text = replyText(answer, { version });
      io.out(o.json ? JSON.stringify({ text }, null, 2) : text);
    });
}
