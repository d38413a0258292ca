import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import { seededDrbg } from '../../../src/core/crypto/drbg';
import { ccte } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'ccte-'));
// Larger than one read chunk (64 KiB), so streaming is exercised.
const data = seededDrbg('cli').generate(65_536);
const big = new Uint8Array([...data, ...data, ...data.subarray(0, 1234)]);
const file = join(dir, 'image.bin');
writeFileSync(file, big);

describe('ccte CLI', () => {
  it('--help lists the commands and exits 0', () => {
    const r = ccte(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: ccte <command>/);
    expect(r.stdout).toMatch(/^\s+hash\s/m);
    expect(r.stdout).toMatch(/^\s+version\s/m);
  });

  it('version --json reports the package version', () => {
    const r = ccte(['version', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'ccte', version: pkg.version, node: process.versions.node });
  });

  for (const alg of ['sha256', 'sha384', 'sha512']) {
    it(`hash ${alg} of a file matches OpenSSL, as text and as JSON`, () => {
      const want = createHash(alg).update(big).digest('hex');
      const text = ccte(['hash', alg, file]);
      expect(text.status).toBe(0);
      expect(text.stdout).toBe(`${want}  ${file}\n`);
      const json = ccte(['hash', alg, file, '--json']);
      expect(JSON.parse(json.stdout)).toEqual({ alg, file, bytes: big.length, digest: want });
    });
  }

  it('hashes standard input with -', () => {
    const r = ccte(['hash', 'sha384', '-'], 'abc');
    expect(r.status).toBe(0);
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha384').update('abc').digest('hex'));
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['hash', 'md5', file], /unknown algorithm 'md5'/],
    [['hash', 'sha256'], /expected 2 operands, got 1/],
    [['hash', 'sha256', file, '--bogus'], /unknown option '--bogus'/],
    [['version', 'extra'], /expected 0 operands/],
  ])('usage error %j exits 2 with a one-line reason and no stack', (args, reason) => {
    const r = ccte(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(reason);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('an unreadable file exits 1 naming the file and the reason', () => {
    const r = ccte(['hash', 'sha256', join(dir, 'missing.bin')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`ccte: cannot read '${join(dir, 'missing.bin')}': no such file\n`);
    const d = ccte(['hash', 'sha256', dir]);
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(/is a directory/);
  });
});
