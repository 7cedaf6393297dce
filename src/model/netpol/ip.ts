// IPv4/IPv6 addresses and CIDRs for NetworkPolicy ipBlock peers, parsed the way Kubernetes' legacy
// (sloppy) parsers do: IPv4 octets may have leading zeros, host bits in a CIDR are masked off, and an
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as IPv4, as Go's net.IPNet.Contains treats it.

export interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

export interface Cidr {
  bits: 32 | 128;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
}

function parseIpv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined; // zones never occur in a policy or a pod IP
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const pushAll = (gs: string[], last: boolean): boolean => {
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i]!;
      if (last && i === gs.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return false;
        words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) words.push(parseInt(g, 16));
      else return false;
    }
    return true;
  };
  if (!pushAll(head, halves.length === 1)) return undefined;
  const headLen = words.length;
  if (!pushAll(tail, true)) return undefined;
  // Without `::` there must be 8 groups; with it, `::` stands for at least one zero group.
  if (halves.length === 1 ? words.length !== 8 : words.length > 7) return undefined;
  const full = [...words.slice(0, headLen), ...new Array<number>(8 - words.length).fill(0), ...words.slice(headLen)];
  return full.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** ::ffff:0:0/96, the IPv4-mapped range. */
const isMapped = (v6: bigint) => v6 >> 32n === 0xffffn;

export function parseIp(s: string): IpAddress | undefined {
  if (typeof s !== 'string') return undefined;
  if (!s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 === undefined ? undefined : { bits: 32, value: v4 };
  }
  const v6 = parseIpv6(s);
  if (v6 === undefined) return undefined;
  if (isMapped(v6)) return { bits: 32, value: v6 & 0xffffffffn };
  return { bits: 128, value: v6 };
}

function mask(bits: number, prefix: number): bigint {
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const len = s.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(len)) return undefined;
  let prefix = Number(len);
  let ip: IpAddress | undefined;
  if (addr.includes(':')) {
    const v6 = parseIpv6(addr);
    if (v6 === undefined || prefix > 128) return undefined;
    ip = { bits: 128, value: v6 };
    // ::ffff:a.b.c.d/n with n >= 96 is the IPv4 network a.b.c.d/(n-96) to Go.
    if (isMapped(v6) && prefix >= 96) {
      ip = { bits: 32, value: v6 & 0xffffffffn };
      prefix -= 96;
    }
  } else {
    const v4 = parseIpv4(addr);
    if (v4 === undefined || prefix > 32) return undefined;
    ip = { bits: 32, value: v4 };
  }
  return { bits: ip.bits, network: ip.value & mask(ip.bits, prefix), prefix };
}

export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  return c.bits === ip.bits && (ip.value & mask(c.bits, c.prefix)) === c.network;
}

/** Is `inner` a strict subset of `outer` (what the API server requires of an ipBlock's `except`)? */
export function cidrStrictlyWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.bits === outer.bits && inner.prefix > outer.prefix && cidrContains(outer, { bits: inner.bits, value: inner.network });
}
