# The native backend (native/src): one static library per instruction set, each compiled with its
# own flags, linked into one addon that picks the table the CPU runs (native/src/cpu.c).
# Built by scripts/build-native.mjs (npm's install script); see README "Development". It sets
# ngnn_avx512e=1 where SIMDe's headers are installed: a test-only table, the AVX-512 source on
# emulated AVX-512 (native/src/isa_avx512e.c).
{
  "variables": {
    "ngnn_avx512e%": 0,
    "ngnn_cflags": ["-std=gnu11", "-O3", "-fPIC", "-ffp-contract=off", "-fno-math-errno", "-Wno-psabi"]
  },
  "targets": [
    {
      "target_name": "ngnn_generic",
      "type": "static_library",
      "sources": ["native/src/isa_generic.c"],
      "cflags": ["<@(ngnn_cflags)"],
      "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)"] }
    },
    {
      "target_name": "ngnn_generic16",
      "type": "static_library",
      "sources": ["native/src/isa_generic16.c"],
      "cflags": ["<@(ngnn_cflags)"],
      "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)"] }
    },
    {
      "target_name": "neural_gnn",
      "sources": ["native/src/addon.c", "native/src/ops.c", "native/src/ops_siren.c", "native/src/napi_util.c", "native/src/pool.c", "native/src/cpu.c", "native/src/pwl.c"],
      "cflags": ["<@(ngnn_cflags)"],
      "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)"] },
      "dependencies": ["ngnn_generic", "ngnn_generic16"],
      "conditions": [
        ["target_arch == 'x64'", { "dependencies": ["ngnn_avx2", "ngnn_avx512"] }],
        ["target_arch == 'x64' and ngnn_avx512e == 1", { "dependencies": ["ngnn_avx512e"], "defines": ["NGNN_HAVE_AVX512E"] }]
      ]
    }
  ],
  "conditions": [
    [
      "target_arch == 'x64'",
      {
        "targets": [
          {
            "target_name": "ngnn_avx2",
            "type": "static_library",
            "sources": ["native/src/isa_avx2.c"],
            "cflags": ["<@(ngnn_cflags)", "-mavx2", "-mfma", "-mpopcnt"],
            "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)", "-mavx2", "-mfma", "-mpopcnt"] }
          },
          {
            "target_name": "ngnn_avx512",
            "type": "static_library",
            "sources": ["native/src/isa_avx512.c"],
            "cflags": ["<@(ngnn_cflags)", "-mavx512f", "-mavx2", "-mfma", "-mpopcnt"],
            "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)", "-mavx512f", "-mavx2", "-mfma", "-mpopcnt"] }
          }
        ]
      }
    ],
    [
      "target_arch == 'x64' and ngnn_avx512e == 1",
      {
        "targets": [
          {
            "target_name": "ngnn_avx512e",
            "type": "static_library",
            "sources": ["native/src/isa_avx512e.c"],
            "cflags": ["<@(ngnn_cflags)", "-mavx2", "-mfma", "-mpopcnt"],
            "xcode_settings": { "OTHER_CFLAGS": ["<@(ngnn_cflags)", "-mavx2", "-mfma", "-mpopcnt"] }
          }
        ]
      }
    ]
  ]
}
