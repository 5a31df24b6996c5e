;; SIMD kernels for FusedAdam on tfjs's wasm backend. They run on the backend's
;; own memory (imported), reading and writing tensors where tfjs keeps them.
;; scripts/build-wat.mjs compiles this file twice, for the plain memory of tfjs's
;; single-threaded build and the shared memory of its threaded build
;; (the memory import placeholder below), into src/internal/fused-adam-wasm.ts.
(module
  MEMORY_IMPORT

  ;; One Adam step over n floats, each read once and written once:
  ;;   g' = scale * g
  ;;   m' = beta1 * m + (1 - beta1) * g'
  ;;   v' = beta2 * v + (1 - beta2) * g'^2
  ;;   w' = w - stepSize * m' / (sqrt(v') + epsilonHat)
  ;; Pointers are byte offsets of float32 arrays; outputs may not alias inputs.
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $outW i32) (param $outM i32) (param $outV i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $stepSize f32) (param $epsilonHat f32)
    (param $scale f32)
    (local $i i32) (local $vectorEnd i32) (local $end i32)
    (local $b1 v128) (local $b2 v128) (local $c1 v128) (local $c2 v128)
    (local $step v128) (local $eps v128) (local $s v128)
    (local $grad v128) (local $mi v128) (local $vi v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $c2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $step (f32x4.splat (local.get $stepSize)))
    (local.set $eps (f32x4.splat (local.get $epsilonHat)))
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.shl (i32.shr_u (local.get $n) (i32.const 2)) (i32.const 4)))
    (local.set $i (i32.const 0))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $grad
          (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $i))) (local.get $s)))
        (local.set $mi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $b1))
          (f32x4.mul (local.get $grad) (local.get $c1))))
        (local.set $vi (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $grad) (local.get $grad)) (local.get $c2))))
        (v128.store (i32.add (local.get $outM) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $outV) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $outW) (local.get $i))
          (f32x4.sub
            (v128.load (i32.add (local.get $w) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $step) (local.get $mi))
              (f32x4.add (f32x4.sqrt (local.get $vi)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    ;; the last n mod 4 elements, one at a time
    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs
          (f32.mul (f32.load (i32.add (local.get $g) (local.get $i))) (local.get $scale)))
        (local.set $ms (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $i))) (local.get $beta1))
          (f32.mul (local.get $gs) (f32.sub (f32.const 1) (local.get $beta1)))))
        (local.set $vs (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $i))) (local.get $beta2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs))
            (f32.sub (f32.const 1) (local.get $beta2)))))
        (f32.store (i32.add (local.get $outM) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $outV) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $outW) (local.get $i))
          (f32.sub
            (f32.load (i32.add (local.get $w) (local.get $i)))
            (f32.div
              (f32.mul (local.get $stepSize) (local.get $ms))
              (f32.add (f32.sqrt (local.get $vs)) (local.get $epsilonHat)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scalars)))
  )

  ;; The sum of squares of n floats, each widened to float64 before it is squared
  ;; and added (two lanes per half of each vector): the global gradient norm
  ;; loses no precision.
  (func (export "sumOfSquares") (param $x i32) (param $n i32) (result f64)
    (local $i i32) (local $vectorEnd i32) (local $end i32)
    (local $lo v128) (local $hi v128) (local $sq v128) (local $wide v128) (local $s f64)
    (local $e f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vectorEnd (i32.shl (i32.shr_u (local.get $n) (i32.const 2)) (i32.const 4)))
    (local.set $lo (f64x2.splat (f64.const 0)))
    (local.set $hi (f64x2.splat (f64.const 0)))
    (local.set $i (i32.const 0))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $sq (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $wide (f64x2.promote_low_f32x4 (local.get $sq)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $wide) (local.get $wide))))
        (local.set $wide (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $sq) (local.get $sq))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $wide) (local.get $wide))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vectors)))
    (local.set $lo (f64x2.add (local.get $lo) (local.get $hi)))
    (local.set $s (f64.add
      (f64x2.extract_lane 0 (local.get $lo))
      (f64x2.extract_lane 1 (local.get $lo))))
    (block $scalarsDone
      (loop $scalars
        (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $e (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $e) (local.get $e))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $scalars)))
    (local.get $s)
  )
)
