/**
 * The Ed25519 sealing key on disk: `audit-cli keygen` writes a root key pair (`audit-seal.key`,
 * PKCS#8 PEM, mode 0600; `audit-seal.pub`, SPKI PEM). The logger then keeps the key file as its
 * sealing state: at every epoch change it replaces the file, atomically, with the new epoch's
 * private key and the public certificates leading to it, so the file never holds a key of an
 * earlier epoch (the root key included). See docs/integrity.md "Public-key seals".
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { certificateOf, rawPublicKey, sealKidOf, type EpochCertificate } from '../../record/seal-epoch.js';
import { AuditKeyError } from './keys.js';

/** Environment variable naming the sealing key file. */
export const SEAL_KEY_ENV = 'AUDIT_SEAL_KEY_FILE';
/** File names `audit-cli keygen` writes. */
export const SEAL_KEY_FILES = { key: 'audit-seal.key', pub: 'audit-seal.pub' } as const;

const STATE_BEGIN = '-----BEGIN AUDIT SEAL STATE-----';
const STATE_END = '-----END AUDIT SEAL STATE-----';

/** The sealing state read from a key file: the current epoch's private key and how it is certified. */
export interface SealKeyState {
  /** Key id of the records (`seal-…`, from the root public key). */
  readonly kid: string;
  /** Root public key (epoch 0), base64url raw bytes. */
  readonly root: string;
  /** Current epoch (0 = the root key itself). */
  readonly epoch: number;
  /** The current epoch's private key. */
  readonly privateKey: KeyObject;
  /** Its public key, base64url raw bytes. */
  readonly publicKey: string;
  /** Certificates of epochs 1..epoch, in order. */
  readonly certs: readonly EpochCertificate[];
}

/** Result of {@link generateSealKeys}. */
export interface GeneratedSealKeys {
  readonly keyFile: string;
  readonly publicKeyFile: string;
  /** Key id the records will carry. */
  readonly kid: string;
}

/**
 * Writes a new Ed25519 root key pair into `dir`: `audit-seal.key` (mode 0600) and `audit-seal.pub`.
 * @throws AuditKeyError when a file exists and `force` is not set, or on I/O errors.
 */
export function generateSealKeys(dir: string, options: { readonly force?: boolean } = {}): GeneratedSealKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, SEAL_KEY_FILES.key);
  const publicKeyFile = join(dir, SEAL_KEY_FILES.pub);
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  if (!options.force) {
    for (const file of [keyFile, publicKeyFile]) {
      if (exists(file))
        throw new AuditKeyError(`${file} exists; pass --force to replace it (the old key is then lost)`);
    }
  }
  writeAtomically(keyFile, Buffer.from(privatePem, 'utf8'), 0o600);
  writeAtomically(publicKeyFile, Buffer.from(publicPem, 'utf8'), 0o644);
  return { keyFile, publicKeyFile, kid: sealKidOf(rawPublicKey(publicKey)) };
}

/**
 * Reads a sealing key file (as `keygen` wrote it, or as a logger evolved it).
 * @throws AuditKeyError when it cannot be read, is not an Ed25519 private key, has an invalid
 *   state block, or can be read by group or others (it must be mode 0600 or stricter).
 */
export function loadSealKeyFile(file: string): SealKeyState {
  let text: string;
  try {
    const mode = statSync(file).mode;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new AuditKeyError(
        `sealing key file ${file} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof AuditKeyError) throw err;
    throw new AuditKeyError(
      `sealing key file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); create one with: audit-cli keygen --out DIR`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new AuditKeyError(
      `sealing key file ${file} holds no PEM private key; create one with: audit-cli keygen --out DIR`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError(
      `sealing key file ${file} holds a ${privateKey.asymmetricKeyType ?? 'non-Ed25519'} key; an Ed25519 key is required`,
    );
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const state = stateBlockOf(text, file);
  if (!state) return { kid: sealKidOf(publicKey), root: publicKey, epoch: 0, privateKey, publicKey, certs: [] };
  const last = state.certs[state.certs.length - 1];
  if (state.epoch !== state.certs.length || (last !== undefined && last.key !== publicKey))
    throw new AuditKeyError(`sealing key file ${file}: its state does not match its key (the file was edited)`);
  return {
    kid: sealKidOf(state.root),
    root: state.root,
    epoch: state.epoch,
    privateKey,
    publicKey,
    certs: state.certs,
  };
}

/**
 * Replaces the key file with `state` (its private key and certificates), atomically: a new file
 * (mode 0600) is written and synced beside it, then renamed over it, and the directory synced.
 */
export function writeSealKeyFile(file: string, state: SealKeyState): void {
  const pem = state.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const json = JSON.stringify({ v: 1, root: state.root, epoch: state.epoch, certs: state.certs });
  const block = Buffer.from(json, 'utf8')
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  const bytes = Buffer.from(`${pem}${STATE_BEGIN}\n${block}${STATE_END}\n`, 'utf8');
  try {
    writeAtomically(file, bytes, 0o600);
  } finally {
    bytes.fill(0);
  }
}

function stateBlockOf(
  text: string,
  file: string,
): { root: string; epoch: number; certs: EpochCertificate[] } | undefined {
  const begin = text.indexOf(STATE_BEGIN);
  if (begin < 0) return undefined;
  const end = text.indexOf(STATE_END, begin);
  const bad = (why: string): AuditKeyError =>
    new AuditKeyError(`sealing key file ${file}: its state block is ${why} (the file was edited or damaged)`);
  if (end < 0) throw bad('not terminated');
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      Buffer.from(text.slice(begin + STATE_BEGIN.length, end).replace(/\s+/g, ''), 'base64').toString('utf8'),
    );
  } catch {
    throw bad('not readable');
  }
  const { v, root, epoch, certs } = (parsed ?? {}) as { v?: unknown; root?: unknown; epoch?: unknown; certs?: unknown };
  if (v !== 1 || typeof root !== 'string' || typeof epoch !== 'number' || !Array.isArray(certs)) throw bad('not valid');
  const list = certs.map((c) => certificateOf(c as never));
  if (list.some((c, i) => c === undefined || c.epoch !== i + 1)) throw bad('not valid');
  return { root, epoch, certs: list as EpochCertificate[] };
}

function removeStale(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // none there
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes `bytes` to a temporary file beside `file` (created with `mode`), syncs it, renames it over `file`, syncs the directory. */
function writeAtomically(file: string, bytes: Buffer, mode: number): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    removeStale(temp);
    fd = openSync(temp, 'wx', mode);
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // nothing left behind
    }
    throw new AuditKeyError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // directory sync is not possible everywhere (e.g. Windows); the rename itself is atomic
  }
}
