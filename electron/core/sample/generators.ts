import { binom, frac, gcd, int, pick, type Rand } from './rng';

export interface SampleQuestion {
  question: string;
  answer: string;
  domain: string;
  lang: 'en' | 'zh';
}

type Gen = (r: Rand, zh: boolean) => { q: string; a: string };

const isPrime = (n: number) => {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
  return true;
};

// Each domain has several templates; every answer is computed exactly, never typed in.
const domains: Record<string, Gen[]> = {
  arithmetic: [
    (r, zh) => {
      const a = int(r, 120, 999), b = int(r, 12, 99), c = int(r, 2, 19);
      return { q: zh ? `计算 $${a} \\times ${b} - ${c}^2$ 的值。` : `Compute $${a} \\times ${b} - ${c}^2$.`, a: String(a * b - c * c) };
    },
    (r, zh) => {
      const p = int(r, 1, 9), q = int(r, 2, 12), s = int(r, 1, 9), t = int(r, 2, 12);
      return { q: zh ? `计算 $\\frac{${p}}{${q}} + \\frac{${s}}{${t}}$，结果写成最简分数。` : `Compute $\\frac{${p}}{${q}} + \\frac{${s}}{${t}}$ as a fraction in lowest terms.`, a: frac(p * t + s * q, q * t) };
    },
    (r, zh) => {
      const n = int(r, 3, 9);
      let f = 1;
      for (let i = 2; i <= n; i++) f *= i;
      const m = int(r, 7, 97);
      return { q: zh ? `求 $${n}!$ 除以 $${m}$ 的余数。` : `What is the remainder when $${n}!$ is divided by $${m}$?`, a: String(f % m) };
    },
  ],
  algebra: [
    (r, zh) => {
      const x = int(r, -12, 12), a = int(r, 2, 9), b = int(r, -30, 30);
      const c = a * x + b;
      return { q: zh ? `解方程 $${a}x ${b < 0 ? '-' : '+'} ${Math.abs(b)} = ${c}$，求 $x$。` : `Solve $${a}x ${b < 0 ? '-' : '+'} ${Math.abs(b)} = ${c}$ for $x$.`, a: String(x) };
    },
    (r, zh) => {
      const p = int(r, -9, 9), q = int(r, -9, 9);
      const s = -(p + q), t = p * q;
      const term = (v: number, x: string) => (v === 0 ? '' : `${v < 0 ? '-' : '+'} ${Math.abs(v) === 1 && x ? '' : Math.abs(v)}${x} `);
      return {
        q: zh ? `方程 $x^2 ${term(s, 'x')}${term(t, '')}= 0$ 的两根之和的平方减去两根之积是多少？` : `Let $r$ and $s$ be the roots of $x^2 ${term(s, 'x')}${term(t, '')}= 0$. Find $(r+s)^2 - rs$.`,
        a: String((p + q) ** 2 - p * q),
      };
    },
    (r, zh) => {
      const a = int(r, 2, 7), b = int(r, 1, 9), x0 = int(r, 1, 6);
      return { q: zh ? `设 $f(x) = ${a}x^2 + ${b}$，求 $f(f(${x0}))$ 除以 $1000$ 的余数。` : `Let $f(x) = ${a}x^2 + ${b}$. Find the remainder when $f(f(${x0}))$ is divided by $1000$.`, a: String((a * (a * x0 * x0 + b) ** 2 + b) % 1000) };
    },
  ],
  'number theory': [
    (r, zh) => {
      const a = int(r, 100, 999), b = int(r, 100, 999);
      return { q: zh ? `求 $${a}$ 与 $${b}$ 的最大公约数。` : `Find $\\gcd(${a}, ${b})$.`, a: String(gcd(a, b)) };
    },
    (r, zh) => {
      const n = int(r, 50, 400);
      let c = 0;
      for (let i = 2; i <= n; i++) if (isPrime(i)) c++;
      return { q: zh ? `不超过 $${n}$ 的质数有多少个？` : `How many primes are less than or equal to $${n}$?`, a: String(c) };
    },
    (r, zh) => {
      const b = int(r, 2, 9), e = int(r, 20, 200), m = pick(r, [7, 11, 13, 17, 19, 23]);
      let v = 1;
      for (let i = 0; i < e; i++) v = (v * b) % m;
      return { q: zh ? `求 $${b}^{${e}}$ 模 $${m}$ 的余数。` : `Find the remainder when $${b}^{${e}}$ is divided by $${m}$.`, a: String(v) };
    },
  ],
  combinatorics: [
    (r, zh) => {
      const n = int(r, 6, 14), k = int(r, 2, 5);
      return { q: zh ? `从 $${n}$ 名学生中选出 $${k}$ 人组成委员会，有多少种选法？` : `In how many ways can a committee of $${k}$ be chosen from $${n}$ students?`, a: String(binom(n, k)) };
    },
    (r, zh) => {
      // Rencontres numbers: permutations of n with exactly k fixed points.
      const n = int(r, 4, 9), k = int(r, 0, 3);
      const d = [1, 0];
      for (let i = 2; i <= n; i++) d.push((i - 1) * ((d[i - 1] as number) + (d[i - 2] as number)));
      return {
        q: zh ? `把 $${n}$ 封信装入 $${n}$ 个对应的信封，恰好有 $${k}$ 封装对的方法有多少种？` : `In how many ways can $${n}$ letters be placed in their $${n}$ envelopes so that exactly $${k}$ letters are in their own envelopes?`,
        a: String(binom(n, k) * (d[n - k] as number)),
      };
    },
    (r, zh) => {
      const a = int(r, 2, 6), b = int(r, 2, 6);
      return { q: zh ? `在 $${a} \\times ${b}$ 的网格中，从左下角只向右或向上走到右上角，有多少条路径？` : `How many lattice paths go from $(0,0)$ to $(${a},${b})$ using unit steps right or up?`, a: String(binom(a + b, a)) };
    },
  ],
  probability: [
    (r, zh) => {
      const m = int(r, 2, 3), s = int(r, m + 1, 6 * m - 1);
      let c = 0;
      for (let i = 0; i < 6 ** m; i++) {
        let v = i, sum = 0;
        for (let j = 0; j < m; j++) {
          sum += (v % 6) + 1;
          v = Math.floor(v / 6);
        }
        if (sum >= s) c++;
      }
      return { q: zh ? `掷 $${m}$ 颗公平的骰子，点数之和至少为 $${s}$ 的概率是多少？` : `${m === 2 ? 'Two' : 'Three'} fair dice are rolled. What is the probability that the sum is at least $${s}$?`, a: frac(c, 6 ** m) };
    },
    (r, zh) => {
      const red = int(r, 2, 8), blue = int(r, 2, 8);
      const t = red + blue;
      return { q: zh ? `袋中有 $${red}$ 个红球和 $${blue}$ 个蓝球，不放回地取两个，两个都是红球的概率是多少？` : `A bag has $${red}$ red and $${blue}$ blue balls. Two are drawn without replacement. What is the probability both are red?`, a: frac(red * (red - 1), t * (t - 1)) };
    },
    (r, zh) => {
      const n = int(r, 3, 8), k = int(r, 0, n);
      return { q: zh ? `抛一枚公平硬币 $${n}$ 次，恰好 $${k}$ 次正面的概率是多少？` : `A fair coin is flipped $${n}$ times. What is the probability of exactly $${k}$ heads?`, a: frac(binom(n, k), 2 ** n) };
    },
  ],
  geometry: [
    (r, zh) => {
      const [a, b, c] = pick(r, [[3, 4, 5], [5, 12, 13], [8, 15, 17], [7, 24, 25], [20, 21, 29]] as const);
      const k = int(r, 1, 4);
      return { q: zh ? `直角三角形两条直角边分别为 $${a * k}$ 和 $${b * k}$，斜边长是多少？` : `A right triangle has legs $${a * k}$ and $${b * k}$. How long is its hypotenuse?`, a: String(c * k) };
    },
    (r, zh) => {
      const n = int(r, 5, 20);
      return { q: zh ? `正 $${n}$ 边形有多少条对角线？` : `How many diagonals does a convex polygon with $${n}$ sides have?`, a: String((n * (n - 3)) / 2) };
    },
    (r, zh) => {
      const x1 = int(r, -5, 5), y1 = int(r, -5, 5), x2 = int(r, -5, 5), y2 = int(r, -5, 5), x3 = int(r, -5, 5), y3 = int(r, -5, 5);
      const twice = Math.abs(x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2));
      return { q: zh ? `求顶点为 $(${x1},${y1})$、$(${x2},${y2})$、$(${x3},${y3})$ 的三角形面积。` : `Find the area of the triangle with vertices $(${x1},${y1})$, $(${x2},${y2})$ and $(${x3},${y3})$.`, a: frac(twice, 2) };
    },
  ],
  sequences: [
    (r, zh) => {
      const a = int(r, -10, 20), d = int(r, 2, 9), n = int(r, 10, 60);
      return { q: zh ? `等差数列首项为 $${a}$，公差为 $${d}$，前 $${n}$ 项和是多少？` : `An arithmetic sequence has first term $${a}$ and common difference $${d}$. What is the sum of its first $${n}$ terms?`, a: String((n * (2 * a + (n - 1) * d)) / 2) };
    },
    (r, zh) => {
      const a = int(r, 1, 5), q = int(r, 2, 4), n = int(r, 4, 10);
      return { q: zh ? `等比数列首项为 $${a}$，公比为 $${q}$，第 $${n}$ 项是多少？` : `A geometric sequence has first term $${a}$ and ratio $${q}$. What is its ${n}th term?`, a: String(a * q ** (n - 1)) };
    },
    (r, zh) => {
      const x = int(r, 1, 5), y = int(r, 1, 5), n = int(r, 8, 20);
      const s = [x, y];
      for (let i = 2; i < n; i++) s.push((s[i - 1] as number) + (s[i - 2] as number));
      return { q: zh ? `数列满足 $a_1 = ${x}, a_2 = ${y}$，$a_{n} = a_{n-1} + a_{n-2}$。求 $a_{${n}}$。` : `A sequence has $a_1 = ${x}$, $a_2 = ${y}$ and $a_n = a_{n-1} + a_{n-2}$. Find $a_{${n}}$.`, a: String(s[n - 1]) };
    },
  ],
  'word problems': [
    (r, zh) => {
      const v1 = int(r, 40, 90), v2 = int(r, 40, 90), d = (v1 + v2) * int(r, 1, 5);
      return { q: zh ? `两列火车相距 $${d}$ 公里，分别以每小时 $${v1}$ 和 $${v2}$ 公里的速度相向而行，几小时后相遇？` : `Two trains ${d} km apart travel toward each other at ${v1} km/h and ${v2} km/h. After how many hours do they meet?`, a: String(d / (v1 + v2)) };
    },
    (r, zh) => {
      const a = int(r, 2, 9), b = int(r, 2, 9);
      return { q: zh ? `甲单独完成一项工作需要 $${a}$ 小时，乙需要 $${b}$ 小时。两人合作需要多少小时？` : `Alice paints a fence in ${a} hours and Bob in ${b} hours. Working together, how many hours do they need?`, a: frac(a * b, a + b) };
    },
    (r, zh) => {
      const p = int(r, 20, 200), pct = pick(r, [10, 15, 20, 25, 30, 40]);
      return { q: zh ? `一件商品原价 $${p}$ 元，先降价 $${pct}\\%$ 再涨价 $${pct}\\%$，现价是多少元？` : `An item costs $${p}. Its price is cut by ${pct}% and then raised by ${pct}%. What is the new price in dollars?`, a: frac(p * (100 - pct) * (100 + pct), 10000) };
    },
  ],
};

export const SAMPLE_DOMAINS = Object.keys(domains);

/** Generates `perDomain` questions per domain; every fifth is written in Simplified Chinese. */
export function generateSample(r: Rand, perDomain = 40): SampleQuestion[] {
  const out: SampleQuestion[] = [];
  const seen = new Set<string>();
  for (const [domain, gens] of Object.entries(domains)) {
    let made = 0;
    let guard = 0;
    while (made < perDomain && guard++ < perDomain * 50) {
      const zh = made % 5 === 4;
      const g = gens[made % gens.length] as Gen;
      const { q, a } = g(r, zh);
      if (seen.has(q)) continue;
      seen.add(q);
      out.push({ question: q, answer: a, domain, lang: zh ? 'zh' : 'en' });
      made++;
    }
  }
  return out;
}
