;; A row gather for tensorData's batches on tfjs's wasm backend: tfjs's own Gather
;; kernel computes a multi-dimensional index for every element (about 4 ms for
;; 128 rows of 784 floats here, a fifth of a training step); this copies whole
;; rows with memory.copy. It runs on the backend's own memory (imported), reading
;; and writing tensors where tfjs keeps them. scripts/build-wat.mjs compiles this
;; file twice, for the plain memory of tfjs's single-threaded build and the shared
;; memory of its threaded build (the memory import placeholder below), into
;; src/internal/gather-rows-wasm.ts.
(module
  MEMORY_IMPORT

  ;; out[r] = x[indices[r]] for r < rows, each row rowBytes bytes long.
  ;; Pointers are byte offsets; indices is an int32 array. The caller checks that
  ;; every index is a row of x, and out may not overlap x.
  (func (export "gatherRows")
    (param $x i32) (param $indices i32) (param $out i32) (param $rows i32) (param $rowBytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $indices) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $indices) (local.get $end)))
        (memory.copy
          (local.get $out)
          (i32.add
            (local.get $x)
            (i32.mul (i32.load (local.get $indices)) (local.get $rowBytes)))
          (local.get $rowBytes))
        (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
        (local.set $indices (i32.add (local.get $indices) (i32.const 4)))
        (br $next))))
)
