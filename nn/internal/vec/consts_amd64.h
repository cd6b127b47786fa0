// Constants of the exp and GELU kernels, each repeated in 8 lanes.
DATA absmask<>+0(SB)/4, $0x7fffffff
DATA absmask<>+4(SB)/4, $0x7fffffff
DATA absmask<>+8(SB)/4, $0x7fffffff
DATA absmask<>+12(SB)/4, $0x7fffffff
DATA absmask<>+16(SB)/4, $0x7fffffff
DATA absmask<>+20(SB)/4, $0x7fffffff
DATA absmask<>+24(SB)/4, $0x7fffffff
DATA absmask<>+28(SB)/4, $0x7fffffff
GLOBL absmask<>(SB), RODATA|NOPTR, $32
DATA invsqrt2<>+0(SB)/4, $0x3f3504f3
DATA invsqrt2<>+4(SB)/4, $0x3f3504f3
DATA invsqrt2<>+8(SB)/4, $0x3f3504f3
DATA invsqrt2<>+12(SB)/4, $0x3f3504f3
DATA invsqrt2<>+16(SB)/4, $0x3f3504f3
DATA invsqrt2<>+20(SB)/4, $0x3f3504f3
DATA invsqrt2<>+24(SB)/4, $0x3f3504f3
DATA invsqrt2<>+28(SB)/4, $0x3f3504f3
GLOBL invsqrt2<>(SB), RODATA|NOPTR, $32
DATA pcoef<>+0(SB)/4, $0x3ea7ba05
DATA pcoef<>+4(SB)/4, $0x3ea7ba05
DATA pcoef<>+8(SB)/4, $0x3ea7ba05
DATA pcoef<>+12(SB)/4, $0x3ea7ba05
DATA pcoef<>+16(SB)/4, $0x3ea7ba05
DATA pcoef<>+20(SB)/4, $0x3ea7ba05
DATA pcoef<>+24(SB)/4, $0x3ea7ba05
DATA pcoef<>+28(SB)/4, $0x3ea7ba05
GLOBL pcoef<>(SB), RODATA|NOPTR, $32
DATA one<>+0(SB)/4, $0x3f800000
DATA one<>+4(SB)/4, $0x3f800000
DATA one<>+8(SB)/4, $0x3f800000
DATA one<>+12(SB)/4, $0x3f800000
DATA one<>+16(SB)/4, $0x3f800000
DATA one<>+20(SB)/4, $0x3f800000
DATA one<>+24(SB)/4, $0x3f800000
DATA one<>+28(SB)/4, $0x3f800000
GLOBL one<>(SB), RODATA|NOPTR, $32
DATA a1<>+0(SB)/4, $0x3e827906
DATA a1<>+4(SB)/4, $0x3e827906
DATA a1<>+8(SB)/4, $0x3e827906
DATA a1<>+12(SB)/4, $0x3e827906
DATA a1<>+16(SB)/4, $0x3e827906
DATA a1<>+20(SB)/4, $0x3e827906
DATA a1<>+24(SB)/4, $0x3e827906
DATA a1<>+28(SB)/4, $0x3e827906
GLOBL a1<>(SB), RODATA|NOPTR, $32
DATA a2<>+0(SB)/4, $0xbe91a98e
DATA a2<>+4(SB)/4, $0xbe91a98e
DATA a2<>+8(SB)/4, $0xbe91a98e
DATA a2<>+12(SB)/4, $0xbe91a98e
DATA a2<>+16(SB)/4, $0xbe91a98e
DATA a2<>+20(SB)/4, $0xbe91a98e
DATA a2<>+24(SB)/4, $0xbe91a98e
DATA a2<>+28(SB)/4, $0xbe91a98e
GLOBL a2<>(SB), RODATA|NOPTR, $32
DATA a3<>+0(SB)/4, $0x3fb5f0e3
DATA a3<>+4(SB)/4, $0x3fb5f0e3
DATA a3<>+8(SB)/4, $0x3fb5f0e3
DATA a3<>+12(SB)/4, $0x3fb5f0e3
DATA a3<>+16(SB)/4, $0x3fb5f0e3
DATA a3<>+20(SB)/4, $0x3fb5f0e3
DATA a3<>+24(SB)/4, $0x3fb5f0e3
DATA a3<>+28(SB)/4, $0x3fb5f0e3
GLOBL a3<>(SB), RODATA|NOPTR, $32
DATA a4<>+0(SB)/4, $0xbfba00e3
DATA a4<>+4(SB)/4, $0xbfba00e3
DATA a4<>+8(SB)/4, $0xbfba00e3
DATA a4<>+12(SB)/4, $0xbfba00e3
DATA a4<>+16(SB)/4, $0xbfba00e3
DATA a4<>+20(SB)/4, $0xbfba00e3
DATA a4<>+24(SB)/4, $0xbfba00e3
DATA a4<>+28(SB)/4, $0xbfba00e3
GLOBL a4<>(SB), RODATA|NOPTR, $32
DATA a5<>+0(SB)/4, $0x3f87dc22
DATA a5<>+4(SB)/4, $0x3f87dc22
DATA a5<>+8(SB)/4, $0x3f87dc22
DATA a5<>+12(SB)/4, $0x3f87dc22
DATA a5<>+16(SB)/4, $0x3f87dc22
DATA a5<>+20(SB)/4, $0x3f87dc22
DATA a5<>+24(SB)/4, $0x3f87dc22
DATA a5<>+28(SB)/4, $0x3f87dc22
GLOBL a5<>(SB), RODATA|NOPTR, $32
DATA half<>+0(SB)/4, $0x3f000000
DATA half<>+4(SB)/4, $0x3f000000
DATA half<>+8(SB)/4, $0x3f000000
DATA half<>+12(SB)/4, $0x3f000000
DATA half<>+16(SB)/4, $0x3f000000
DATA half<>+20(SB)/4, $0x3f000000
DATA half<>+24(SB)/4, $0x3f000000
DATA half<>+28(SB)/4, $0x3f000000
GLOBL half<>(SB), RODATA|NOPTR, $32
DATA explo<>+0(SB)/4, $0xc2aea8f6
DATA explo<>+4(SB)/4, $0xc2aea8f6
DATA explo<>+8(SB)/4, $0xc2aea8f6
DATA explo<>+12(SB)/4, $0xc2aea8f6
DATA explo<>+16(SB)/4, $0xc2aea8f6
DATA explo<>+20(SB)/4, $0xc2aea8f6
DATA explo<>+24(SB)/4, $0xc2aea8f6
DATA explo<>+28(SB)/4, $0xc2aea8f6
GLOBL explo<>(SB), RODATA|NOPTR, $32
DATA exphi<>+0(SB)/4, $0x42b170a4
DATA exphi<>+4(SB)/4, $0x42b170a4
DATA exphi<>+8(SB)/4, $0x42b170a4
DATA exphi<>+12(SB)/4, $0x42b170a4
DATA exphi<>+16(SB)/4, $0x42b170a4
DATA exphi<>+20(SB)/4, $0x42b170a4
DATA exphi<>+24(SB)/4, $0x42b170a4
DATA exphi<>+28(SB)/4, $0x42b170a4
GLOBL exphi<>(SB), RODATA|NOPTR, $32
DATA log2e<>+0(SB)/4, $0x3fb8aa3b
DATA log2e<>+4(SB)/4, $0x3fb8aa3b
DATA log2e<>+8(SB)/4, $0x3fb8aa3b
DATA log2e<>+12(SB)/4, $0x3fb8aa3b
DATA log2e<>+16(SB)/4, $0x3fb8aa3b
DATA log2e<>+20(SB)/4, $0x3fb8aa3b
DATA log2e<>+24(SB)/4, $0x3fb8aa3b
DATA log2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL log2e<>(SB), RODATA|NOPTR, $32
DATA ln2hi<>+0(SB)/4, $0x3f317200
DATA ln2hi<>+4(SB)/4, $0x3f317200
DATA ln2hi<>+8(SB)/4, $0x3f317200
DATA ln2hi<>+12(SB)/4, $0x3f317200
DATA ln2hi<>+16(SB)/4, $0x3f317200
DATA ln2hi<>+20(SB)/4, $0x3f317200
DATA ln2hi<>+24(SB)/4, $0x3f317200
DATA ln2hi<>+28(SB)/4, $0x3f317200
GLOBL ln2hi<>(SB), RODATA|NOPTR, $32
DATA ln2lo<>+0(SB)/4, $0x35bfbe8e
DATA ln2lo<>+4(SB)/4, $0x35bfbe8e
DATA ln2lo<>+8(SB)/4, $0x35bfbe8e
DATA ln2lo<>+12(SB)/4, $0x35bfbe8e
DATA ln2lo<>+16(SB)/4, $0x35bfbe8e
DATA ln2lo<>+20(SB)/4, $0x35bfbe8e
DATA ln2lo<>+24(SB)/4, $0x35bfbe8e
DATA ln2lo<>+28(SB)/4, $0x35bfbe8e
GLOBL ln2lo<>(SB), RODATA|NOPTR, $32
DATA c7<>+0(SB)/4, $0x39500d01
DATA c7<>+4(SB)/4, $0x39500d01
DATA c7<>+8(SB)/4, $0x39500d01
DATA c7<>+12(SB)/4, $0x39500d01
DATA c7<>+16(SB)/4, $0x39500d01
DATA c7<>+20(SB)/4, $0x39500d01
DATA c7<>+24(SB)/4, $0x39500d01
DATA c7<>+28(SB)/4, $0x39500d01
GLOBL c7<>(SB), RODATA|NOPTR, $32
DATA c6<>+0(SB)/4, $0x3ab60b61
DATA c6<>+4(SB)/4, $0x3ab60b61
DATA c6<>+8(SB)/4, $0x3ab60b61
DATA c6<>+12(SB)/4, $0x3ab60b61
DATA c6<>+16(SB)/4, $0x3ab60b61
DATA c6<>+20(SB)/4, $0x3ab60b61
DATA c6<>+24(SB)/4, $0x3ab60b61
DATA c6<>+28(SB)/4, $0x3ab60b61
GLOBL c6<>(SB), RODATA|NOPTR, $32
DATA c5<>+0(SB)/4, $0x3c088889
DATA c5<>+4(SB)/4, $0x3c088889
DATA c5<>+8(SB)/4, $0x3c088889
DATA c5<>+12(SB)/4, $0x3c088889
DATA c5<>+16(SB)/4, $0x3c088889
DATA c5<>+20(SB)/4, $0x3c088889
DATA c5<>+24(SB)/4, $0x3c088889
DATA c5<>+28(SB)/4, $0x3c088889
GLOBL c5<>(SB), RODATA|NOPTR, $32
DATA c4<>+0(SB)/4, $0x3d2aaaab
DATA c4<>+4(SB)/4, $0x3d2aaaab
DATA c4<>+8(SB)/4, $0x3d2aaaab
DATA c4<>+12(SB)/4, $0x3d2aaaab
DATA c4<>+16(SB)/4, $0x3d2aaaab
DATA c4<>+20(SB)/4, $0x3d2aaaab
DATA c4<>+24(SB)/4, $0x3d2aaaab
DATA c4<>+28(SB)/4, $0x3d2aaaab
GLOBL c4<>(SB), RODATA|NOPTR, $32
DATA c3<>+0(SB)/4, $0x3e2aaaab
DATA c3<>+4(SB)/4, $0x3e2aaaab
DATA c3<>+8(SB)/4, $0x3e2aaaab
DATA c3<>+12(SB)/4, $0x3e2aaaab
DATA c3<>+16(SB)/4, $0x3e2aaaab
DATA c3<>+20(SB)/4, $0x3e2aaaab
DATA c3<>+24(SB)/4, $0x3e2aaaab
DATA c3<>+28(SB)/4, $0x3e2aaaab
GLOBL c3<>(SB), RODATA|NOPTR, $32
DATA i127<>+0(SB)/4, $0x0000007f
DATA i127<>+4(SB)/4, $0x0000007f
DATA i127<>+8(SB)/4, $0x0000007f
DATA i127<>+12(SB)/4, $0x0000007f
DATA i127<>+16(SB)/4, $0x0000007f
DATA i127<>+20(SB)/4, $0x0000007f
DATA i127<>+24(SB)/4, $0x0000007f
DATA i127<>+28(SB)/4, $0x0000007f
GLOBL i127<>(SB), RODATA|NOPTR, $32
DATA invsqrt2pi<>+0(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+4(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+8(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+12(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+16(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+20(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+24(SB)/4, $0x3ecc422a
DATA invsqrt2pi<>+28(SB)/4, $0x3ecc422a
GLOBL invsqrt2pi<>(SB), RODATA|NOPTR, $32
