import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { GeneratorConfig, GeneratorReply, LoadOptions, LoadReport } from './protocol.js';

// The bench's side of the load generator: spawns loadGenerator.js with this Node, sends it one
// command at a time and waits for its answer.

const SCRIPT = fileURLToPath(new URL('./loadGenerator.js', import.meta.url));

export class Generator {
  private readonly waiting: ((r: GeneratorReply) => void)[] = [];
  private readonly errors: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let r: GeneratorReply;
      try {
        r = JSON.parse(line) as GeneratorReply;
      } catch {
        this.errors.push(line);
        return;
      }
      this.waiting.shift()?.(r);
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.errors.push(line);
      if (this.errors.length > 40) this.errors.shift();
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const fn of this.waiting.splice(0)) fn({ type: 'error', message: `the load generator exited (code ${child.exitCode}): ${this.errors.join('\n')}` });
    });
  }

  static start(config: GeneratorConfig): Generator {
    const child = spawn(process.execPath, [SCRIPT, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
    process.once('exit', () => child.kill('SIGKILL'));
    return new Generator(child);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Signs places up to `count` (before the timing); resolves with the seconds it took. */
  async prepare(count: number): Promise<{ signed: number; seconds: number }> {
    const r = await this.ask({ type: 'prepare', count });
    if (r.type !== 'prepared') throw this.failure(r);
    return r;
  }

  /** A fresh chain: send every account's transactions again from nonce 1. */
  async reset(): Promise<void> {
    const r = await this.ask({ type: 'reset' });
    if (r.type !== 'reset') throw this.failure(r);
  }

  /** Offers load as told; resolves once the time is up (or `stop`), every answer and sampled proof is in. */
  async load(options: LoadOptions): Promise<LoadReport> {
    const r = await this.ask({ type: 'load', ...options });
    if (r.type !== 'loaded') throw this.failure(r);
    const { type: _, ...report } = r;
    return report;
  }

  /** Ends an open-ended `load` (its promise resolves with the report). */
  stop(): void {
    this.child.stdin?.write(`${JSON.stringify({ type: 'stop' })}\n`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin?.end(`${JSON.stringify({ type: 'exit' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  killNow(): void {
    this.child.kill('SIGKILL');
  }

  private ask(command: object): Promise<GeneratorReply> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve({ type: 'error', message: `the load generator has exited: ${this.errors.join('\n')}` });
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  }

  private failure(r: GeneratorReply): Error {
    return new Error(`bench cluster: the load generator failed: ${r.type === 'error' ? r.message : JSON.stringify(r)}`);
  }
}
