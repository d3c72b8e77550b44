/* a small stack-machine bytecode interpreter with a big switch, running a program that
   computes a checksum over nested loops (integer ops, branches, locals, calls). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
    OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_REMU, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_ROTL,
    OP_NEG, OP_NOT, OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
    OP_LOAD, OP_STORE, OP_INC, OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
    OP_MLOAD, OP_MSTORE, OP_MIN, OP_MAX, OP_ABS, OP_SQR, OP_HASH, OP_NOP,
};

#define MEMSZ 4096

static int64_t run(const int32_t *code, int64_t *mem) {
    int64_t st[256], loc[16 * 64];
    int32_t rs[64];
    int sp = 0, rp = 0, fp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT: return sp ? st[sp - 1] : 0;
        case OP_PUSH: st[sp++] = code[pc++]; break;
        case OP_POP: sp--; break;
        case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
        case OP_SWAP: { int64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } break;
        case OP_OVER: st[sp] = st[sp - 2]; sp++; break;
        case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
        case OP_SUB: sp--; st[sp - 1] -= st[sp]; break;
        case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
        case OP_DIVU: sp--; st[sp - 1] = st[sp] ? (int64_t)((uint64_t)st[sp - 1] / (uint64_t)st[sp]) : 0; break;
        case OP_REMU: sp--; st[sp - 1] = st[sp] ? (int64_t)((uint64_t)st[sp - 1] % (uint64_t)st[sp]) : 0; break;
        case OP_AND: sp--; st[sp - 1] &= st[sp]; break;
        case OP_OR: sp--; st[sp - 1] |= st[sp]; break;
        case OP_XOR: sp--; st[sp - 1] ^= st[sp]; break;
        case OP_SHL: sp--; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] << (st[sp] & 63)); break;
        case OP_SHR: sp--; st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] >> (st[sp] & 63)); break;
        case OP_ROTL: { sp--; uint64_t v = (uint64_t)st[sp - 1]; int n = st[sp] & 63;
            st[sp - 1] = (int64_t)(n ? (v << n) | (v >> (64 - n)) : v); } break;
        case OP_NEG: st[sp - 1] = (int64_t)(0 - (uint64_t)st[sp - 1]); break;
        case OP_NOT: st[sp - 1] = ~st[sp - 1]; break;
        case OP_EQ: sp--; st[sp - 1] = st[sp - 1] == st[sp]; break;
        case OP_NE: sp--; st[sp - 1] = st[sp - 1] != st[sp]; break;
        case OP_LT: sp--; st[sp - 1] = st[sp - 1] < st[sp]; break;
        case OP_GT: sp--; st[sp - 1] = st[sp - 1] > st[sp]; break;
        case OP_LE: sp--; st[sp - 1] = st[sp - 1] <= st[sp]; break;
        case OP_GE: sp--; st[sp - 1] = st[sp - 1] >= st[sp]; break;
        case OP_LOAD: st[sp++] = loc[fp + code[pc++]]; break;
        case OP_STORE: loc[fp + code[pc++]] = st[--sp]; break;
        case OP_INC: loc[fp + code[pc]] += code[pc + 1]; pc += 2; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = st[--sp] ? pc + 1 : code[pc]; break;
        case OP_JNZ: pc = st[--sp] ? code[pc] : pc + 1; break;
        case OP_CALL: rs[rp++] = pc + 1; fp += 16; pc = code[pc]; break;
        case OP_RET: fp -= 16; pc = rs[--rp]; break;
        case OP_MLOAD: st[sp - 1] = mem[(uint64_t)st[sp - 1] % MEMSZ]; break;
        case OP_MSTORE: sp -= 2; mem[(uint64_t)st[sp + 1] % MEMSZ] = st[sp]; break;
        case OP_MIN: sp--; if (st[sp] < st[sp - 1]) st[sp - 1] = st[sp]; break;
        case OP_MAX: sp--; if (st[sp] > st[sp - 1]) st[sp - 1] = st[sp]; break;
        case OP_ABS: if (st[sp - 1] < 0) st[sp - 1] = -st[sp - 1]; break;
        case OP_SQR: st[sp - 1] *= st[sp - 1]; break;
        case OP_HASH: st[sp - 1] = (int64_t)(((uint64_t)st[sp - 1] ^ ((uint64_t)st[sp - 1] >> 29)) * 0xBF58476D1CE4E5B9ull); break;
        case OP_NOP: break;
        default: printf("bad opcode %d at %d\n", op, pc - 1); exit(1);
        }
    }
}

/* a tiny assembler with backpatching */
static int32_t code[1024];
static int pcw;
static void e1(int32_t a) { code[pcw++] = a; }
static void e2(int32_t a, int32_t b) { e1(a); e1(b); }
static void e3(int32_t a, int32_t b, int32_t c) { e1(a); e1(b); e1(c); }

int main(int argc, char **argv) {
    int outer = argc > 1 ? atoi(argv[1]) : 1100;
    /* locals of main frame: 0 = i, 1 = j, 2 = acc; function f (frame+16): 0 = x */
    e2(OP_PUSH, 0); e2(OP_STORE, 0);              /* i = 0 */
    e2(OP_PUSH, 7); e2(OP_STORE, 2);              /* acc = 7 */
    int loop_i = pcw;
    e2(OP_LOAD, 0); e2(OP_PUSH, outer); e1(OP_LT);
    e1(OP_JZ); int patch_end = pcw; e1(0);
    e2(OP_PUSH, 0); e2(OP_STORE, 1);              /* j = 0 */
    int loop_j = pcw;
    e2(OP_LOAD, 1); e2(OP_PUSH, 10000); e1(OP_LT);
    e1(OP_JZ); int patch_jend = pcw; e1(0);
    /* acc = f(acc ^ j) + i*j ; f is a call */
    e2(OP_LOAD, 2); e2(OP_LOAD, 1); e1(OP_XOR);
    e1(OP_CALL); int patch_call = pcw; e1(0);
    e2(OP_LOAD, 0); e2(OP_LOAD, 1); e1(OP_MUL); e1(OP_ADD);
    e2(OP_STORE, 2);
    /* mem[j] = mem[j] + acc (mod) */
    e2(OP_LOAD, 1); e1(OP_MLOAD); e2(OP_LOAD, 2); e1(OP_ADD); e2(OP_LOAD, 1); e1(OP_MSTORE);
    /* if (j % 3 == 0) acc = max(acc, -acc) */
    e2(OP_LOAD, 1); e2(OP_PUSH, 3); e1(OP_REMU); e1(OP_JNZ); int patch_skip = pcw; e1(0);
    e2(OP_LOAD, 2); e1(OP_DUP); e1(OP_NEG); e1(OP_MAX); e2(OP_STORE, 2);
    code[patch_skip] = pcw;
    e3(OP_INC, 1, 1); e2(OP_JMP, loop_j);
    code[patch_jend] = pcw;
    e3(OP_INC, 0, 1); e2(OP_JMP, loop_i);
    code[patch_end] = pcw;
    e2(OP_LOAD, 2); e1(OP_HALT);
    /* f(x): x = hash(x); return rotl(x, 13) ^ (x >> 7) + min(x & 255, 100) */
    code[patch_call] = pcw;
    e2(OP_STORE, 0);
    e2(OP_LOAD, 0); e1(OP_HASH); e2(OP_STORE, 0);
    e2(OP_LOAD, 0); e2(OP_PUSH, 13); e1(OP_ROTL);
    e2(OP_LOAD, 0); e2(OP_PUSH, 7); e1(OP_SHR);
    e2(OP_LOAD, 0); e2(OP_PUSH, 255); e1(OP_AND); e2(OP_PUSH, 100); e1(OP_MIN); e1(OP_ADD);
    e1(OP_XOR); e1(OP_NOP);
    e1(OP_RET);

    static int64_t mem[MEMSZ];
    int64_t r = run(code, mem);
    uint64_t h = (uint64_t)r;
    for (int k = 0; k < MEMSZ; k++) h = (h ^ (uint64_t)mem[k]) * 0x100000001B3ull;
    printf("%016llx %016llx\n", (unsigned long long)r, (unsigned long long)h);
    return 0;
}
