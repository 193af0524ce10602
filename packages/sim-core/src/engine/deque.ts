/** A FIFO ring buffer: O(1) push and shift, growing by doubling. */
export class Deque<T> {
  private buf: Array<T | undefined>;
  private head = 0;
  private n = 0;

  constructor(capacity = 16) {
    // The index arithmetic masks with length - 1, so the length is kept a power of two.
    this.buf = new Array(2 ** Math.ceil(Math.log2(Math.max(2, capacity))));
  }

  get length(): number {
    return this.n;
  }

  push(item: T): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.head + this.n) & (this.buf.length - 1)] = item;
    this.n++;
  }

  shift(): T | undefined {
    if (this.n === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.n--;
    return item;
  }

  peek(): T | undefined {
    return this.n === 0 ? undefined : this.buf[this.head];
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.n; i++) yield this.buf[(this.head + i) & (this.buf.length - 1)] as T;
  }

  private grow(): void {
    const old = this.buf;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this.n; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
