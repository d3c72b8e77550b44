/* CRC-32 (IEEE, reflected) two ways: bytewise table and slicing-by-4, over a large buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t tab[4][256];

static void init_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        tab[0][i] = c;
    }
    for (int t = 1; t < 4; t++)
        for (int i = 0; i < 256; i++) tab[t][i] = (tab[t - 1][i] >> 8) ^ tab[0][tab[t - 1][i] & 0xff];
}

static uint32_t crc_bytewise(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n--) crc = tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t crc_slice4(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n >= 4) {
        crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        crc = tab[3][crc & 0xff] ^ tab[2][(crc >> 8) & 0xff] ^ tab[1][(crc >> 16) & 0xff] ^ tab[0][crc >> 24];
        p += 4; n -= 4;
    }
    while (n--) crc = tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 6;
    size_t len = 32u << 20;
    uint8_t *buf = malloc(len);
    uint64_t s = 88172645463325252ull;
    for (size_t i = 0; i < len; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; buf[i] = (uint8_t)(s >> 32); }
    init_tables();
    uint32_t acc = 0, a = 0, b = 0;
    for (int r = 0; r < rounds; r++) {
        a = crc_bytewise((uint32_t)r, buf + r, len - (size_t)r);
        b = crc_slice4((uint32_t)r, buf + r, len - (size_t)r);
        if (a != b) { printf("mismatch at round %d: %08x %08x\n", r, a, b); return 1; }
        acc = acc * 33u ^ a;
        buf[(size_t)r * 4099] ^= (uint8_t)a;
    }
    printf("check(123456789)=%08x\n", crc_bytewise(0, (const uint8_t *)"123456789", 9));
    printf("%08x %08x\n", a, acc);
    free(buf);
    return 0;
}
