;; SIMD kernels for @vae/nn's layers on tfjs's wasm backend. They run on the backend's
;; own memory (imported), reading and writing tensors where tfjs keeps them; pointers
;; are byte offsets of float32 arrays, and outputs never alias inputs.
;; scripts/build-wat.mjs compiles this file twice, for the plain memory of tfjs's
;; single-threaded build and the shared memory of its threaded build (the memory
;; import placeholder below), into src/internal/nn-kernels-wasm.ts.
;;
;; The 4x4 transposes below: rows a b c d of a block become
;;   t0 = a0 b0 a1 b1   t1 = a2 b2 a3 b3   t2 = c0 d0 c1 d1   t3 = c2 d2 c3 d3
;; and the block's columns are t0|t2 low halves, t0|t2 high halves, t1|t3 low, t1|t3 high.
(module
  MEMORY_IMPORT

  ;; dst [cols, rows] = act(transpose(src [rows, cols]) + bias), bias [rows] added along
  ;; src's rows (dst's columns). flags: 1 = add bias, 2 = relu. tfjs's Transpose walks the
  ;; output with a stride of a whole row per element; this goes by 4x4 blocks in tiles of
  ;; 32 source rows, so every cache line it touches is used whole.
  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (param $bias i32) (param $flags i32)
    (local $r i32) (local $c i32) (local $r0 i32) (local $rEnd i32)
    (local $rows4 i32) (local $cols4 i32) (local $srcStride i32) (local $dstStride i32)
    (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $cc v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $add v128) (local $zero v128) (local $value f32)
    (local.set $srcStride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $dstStride (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $add (local.get $zero))
    (local.set $r0 (i32.const 0))
    (block $tilesDone
      (loop $tiles
        (br_if $tilesDone (i32.ge_u (local.get $r0) (local.get $rows4)))
        (local.set $rEnd (i32.add (local.get $r0) (i32.const 32)))
        (if (i32.gt_u (local.get $rEnd) (local.get $rows4))
          (then (local.set $rEnd (local.get $rows4))))
        (local.set $c (i32.const 0))
        (block $colsDone
          (loop $columns
            (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $r (local.get $r0))
            (block $rowsDone
              (loop $blockRows
                (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rEnd)))
                (local.set $p (i32.add (local.get $src)
                  (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
                    (i32.const 2))))
                (local.set $a (v128.load (local.get $p)))
                (local.set $b (v128.load (i32.add (local.get $p) (local.get $srcStride))))
                (local.set $p (i32.add (local.get $p) (i32.shl (local.get $srcStride) (i32.const 1))))
                (local.set $cc (v128.load (local.get $p)))
                (local.set $d (v128.load (i32.add (local.get $p) (local.get $srcStride))))
                (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                  (local.get $a) (local.get $b)))
                (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                  (local.get $a) (local.get $b)))
                (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                  (local.get $cc) (local.get $d)))
                (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
                  (local.get $cc) (local.get $d)))
                (local.set $a (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (local.get $t0) (local.get $t2)))
                (local.set $b (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                  (local.get $t0) (local.get $t2)))
                (local.set $cc (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                  (local.get $t1) (local.get $t3)))
                (local.set $d (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                  (local.get $t1) (local.get $t3)))
                (if (i32.and (local.get $flags) (i32.const 1))
                  (then
                    (local.set $add
                      (v128.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2)))))
                    (local.set $a (f32x4.add (local.get $a) (local.get $add)))
                    (local.set $b (f32x4.add (local.get $b) (local.get $add)))
                    (local.set $cc (f32x4.add (local.get $cc) (local.get $add)))
                    (local.set $d (f32x4.add (local.get $d) (local.get $add)))))
                (if (i32.and (local.get $flags) (i32.const 2))
                  (then
                    (local.set $a (f32x4.max (local.get $a) (local.get $zero)))
                    (local.set $b (f32x4.max (local.get $b) (local.get $zero)))
                    (local.set $cc (f32x4.max (local.get $cc) (local.get $zero)))
                    (local.set $d (f32x4.max (local.get $d) (local.get $zero)))))
                (local.set $q (i32.add (local.get $dst)
                  (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r))
                    (i32.const 2))))
                (v128.store (local.get $q) (local.get $a))
                (v128.store (i32.add (local.get $q) (local.get $dstStride)) (local.get $b))
                (local.set $q (i32.add (local.get $q) (i32.shl (local.get $dstStride) (i32.const 1))))
                (v128.store (local.get $q) (local.get $cc))
                (v128.store (i32.add (local.get $q) (local.get $dstStride)) (local.get $d))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br $blockRows)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $columns)))
        (local.set $r0 (local.get $rEnd))
        (br $tiles)))
    ;; What the blocks left: the last rows mod 4 (every column), the last columns mod 4.
    (local.set $r (i32.const 0))
    (block $edgeDone
      (loop $edgeRows
        (br_if $edgeDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (select (i32.const 0) (local.get $cols4)
          (i32.ge_u (local.get $r) (local.get $rows4))))
        (block $edgeColsDone
          (loop $edgeCols
            (br_if $edgeColsDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $value (f32.load (i32.add (local.get $src)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
                (i32.const 2)))))
            (if (i32.and (local.get $flags) (i32.const 1))
              (then (local.set $value (f32.add (local.get $value)
                (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))))
            (if (i32.and (local.get $flags) (i32.const 2))
              (then (local.set $value (f32.max (local.get $value) (f32.const 0)))))
            (f32.store (i32.add (local.get $dst)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r))
                (i32.const 2)))
              (local.get $value))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $edgeCols)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $edgeRows)))
  )

  ;; The backward pass of a dense layer's activation, from dy [rows, cols] (rows = batch):
  ;;   dz = dy * (y > 0) with relu (flags & 2), else dy;  dz [rows, cols]
  ;;   dzT = transpose(dz) [cols, rows];  db = column sums of dz [cols]
  ;; in one pass, by 4x4 blocks down each strip of 4 columns (db stays in a register).
  (func (export "denseGrad")
    (param $dy i32) (param $y i32) (param $dz i32) (param $dzT i32) (param $db i32)
    (param $rows i32) (param $cols i32) (param $flags i32)
    (local $r i32) (local $c i32) (local $k i32) (local $rows4 i32) (local $cols4 i32)
    (local $stride i32) (local $tStride i32) (local $p i32) (local $q i32)
    (local $a v128) (local $b v128) (local $cc v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $sum v128) (local $zero v128) (local $relu i32) (local $value f32) (local $total f32)
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $tStride (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $zero (f32x4.splat (f32.const 0)))
    (local.set $relu (i32.and (local.get $flags) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $colsDone
      (loop $columns
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols4)))
        (local.set $sum (local.get $zero))
        (local.set $r (i32.const 0))
        (block $rowsDone
          (loop $blockRows
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows4)))
            (local.set $p (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
              (i32.const 2)))
            (local.set $a (call $gated (local.get $dy) (local.get $y) (local.get $p) (local.get $relu)))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $b (call $gated (local.get $dy) (local.get $y) (local.get $p) (local.get $relu)))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $cc (call $gated (local.get $dy) (local.get $y) (local.get $p) (local.get $relu)))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $d (call $gated (local.get $dy) (local.get $y) (local.get $p) (local.get $relu)))
            (local.set $p (i32.add (local.get $dz)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
                (i32.const 2))))
            (v128.store (local.get $p) (local.get $a))
            (v128.store (i32.add (local.get $p) (local.get $stride)) (local.get $b))
            (local.set $p (i32.add (local.get $p) (i32.shl (local.get $stride) (i32.const 1))))
            (v128.store (local.get $p) (local.get $cc))
            (v128.store (i32.add (local.get $p) (local.get $stride)) (local.get $d))
            (local.set $sum (f32x4.add (local.get $sum)
              (f32x4.add (f32x4.add (local.get $a) (local.get $b))
                (f32x4.add (local.get $cc) (local.get $d)))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
              (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
              (local.get $cc) (local.get $d)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
              (local.get $cc) (local.get $d)))
            (local.set $q (i32.add (local.get $dzT)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r))
                (i32.const 2))))
            (v128.store (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $q) (local.get $tStride))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                (local.get $t0) (local.get $t2)))
            (local.set $q (i32.add (local.get $q) (i32.shl (local.get $tStride) (i32.const 1))))
            (v128.store (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $q) (local.get $tStride))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
                (local.get $t1) (local.get $t3)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $blockRows)))
        ;; the last rows mod 4 of this strip, one row (4 columns) at a time
        (block $tailDone
          (loop $tailRows
            (br_if $tailDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
              (i32.const 2)))
            (local.set $a (call $gated (local.get $dy) (local.get $y) (local.get $p) (local.get $relu)))
            (v128.store (i32.add (local.get $dz) (local.get $p)) (local.get $a))
            (local.set $sum (f32x4.add (local.get $sum) (local.get $a)))
            (local.set $q (i32.add (local.get $dzT)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r))
                (i32.const 2))))
            (f32.store (local.get $q) (f32x4.extract_lane 0 (local.get $a)))
            (f32.store (i32.add (local.get $q) (local.get $tStride)) (f32x4.extract_lane 1 (local.get $a)))
            (local.set $q (i32.add (local.get $q) (i32.shl (local.get $tStride) (i32.const 1))))
            (f32.store (local.get $q) (f32x4.extract_lane 2 (local.get $a)))
            (f32.store (i32.add (local.get $q) (local.get $tStride)) (f32x4.extract_lane 3 (local.get $a)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $tailRows)))
        (v128.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2))) (local.get $sum))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $columns)))
    ;; the last columns mod 4, one element at a time
    (block $edgeDone
      (loop $edgeColumns
        (br_if $edgeDone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $total (f32.const 0))
        (local.set $r (i32.const 0))
        (block $edgeRowsDone
          (loop $edgeRows
            (br_if $edgeRowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c))
              (i32.const 2)))
            (local.set $value (f32.load (i32.add (local.get $dy) (local.get $p))))
            (if (local.get $relu)
              (then (if (i32.eqz (f32.gt (f32.load (i32.add (local.get $y) (local.get $p))) (f32.const 0)))
                (then (local.set $value (f32.const 0))))))
            (f32.store (i32.add (local.get $dz) (local.get $p)) (local.get $value))
            (f32.store (i32.add (local.get $dzT)
              (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r))
                (i32.const 2)))
              (local.get $value))
            (local.set $total (f32.add (local.get $total) (local.get $value)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $edgeRows)))
        (f32.store (i32.add (local.get $db) (i32.shl (local.get $c) (i32.const 2))) (local.get $total))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $edgeColumns)))
  )

  ;; dy at byte offset p, zeroed where y <= 0 when relu is set.
  (func $gated (param $dy i32) (param $y i32) (param $p i32) (param $relu i32) (result v128)
    (local $value v128)
    (local.set $value (v128.load (i32.add (local.get $dy) (local.get $p))))
    (if (result v128) (local.get $relu)
      (then (v128.and (local.get $value)
        (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $p))) (f32x4.splat (f32.const 0)))))
      (else (local.get $value))))

  ;; e^-a for a >= 0 (clamped at 87, where it is 1.6e-38): e^-a = 2^n e^r with n =
  ;; round(-a / ln 2) and |r| <= ln(2) / 2, e^r by Cephes' degree-7 polynomial for expf
  ;; (relative error ~1e-7). Adding 1.5 * 2^23 rounds -a / ln 2 to an integer n that then
  ;; sits in the low bits, from where it goes to the exponent bits of 2^n.
  (func $expNegative (param $a v128) (result v128)
    (local $t v128) (local $n v128) (local $r v128) (local $p v128)
    (local.set $a (f32x4.neg (f32x4.min (local.get $a) (f32x4.splat (f32.const 87)))))
    (local.set $t (f32x4.add (f32x4.mul (local.get $a) (f32x4.splat (f32.const 1.44269504088896341)))
      (f32x4.splat (f32.const 12582912))))
    (local.set $n (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $a) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p (f32x4.add
      (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
      (f32x4.splat (f32.const 1))))
    ;; 0x4B400000 is 1.5 * 2^23: its bits plus n, minus them, plus the bias 127
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (local.get $t) (i32x4.splat (i32.const -1262485377))) (i32.const 23))))

  ;; log(p) for p >= 1 (a product of terms in [1, 2]): p = 2^k m with m in [1, 2),
  ;; log p = k ln 2 + log1p(m - 1).
  (func $logAtLeastOne (param $p v128) (result v128)
    (f32x4.add
      (f32x4.mul
        (f32x4.convert_i32x4_s
          (i32x4.sub (i32x4.shr_u (local.get $p) (i32.const 23)) (i32x4.splat (i32.const 127))))
        (f32x4.splat (f32.const 0.69314718055994531)))
      (call $log1p (f32x4.sub
        (v128.or (v128.and (local.get $p) (i32x4.splat (i32.const 0x007fffff)))
          (i32x4.splat (i32.const 0x3f800000)))
        (f32x4.splat (f32.const 1))))))

  ;; log(1 + e) for e in [0, 1]: 2 atanh(u) with u = e / (2 + e) <= 1/3, as the series
  ;; 2u (1 + u^2/3 + ... + u^12/13), truncated below 2e-8 relative; exact as e -> 0.
  (func $log1p (param $e v128) (result v128)
    (local $u v128) (local $u2 v128) (local $s v128)
    (local.set $u (f32x4.div (local.get $e) (f32x4.add (local.get $e) (f32x4.splat (f32.const 2)))))
    (local.set $u2 (f32x4.mul (local.get $u) (local.get $u)))
    (local.set $s (f32x4.splat (f32.const 0.0769230769)))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 0.0909090909))))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 0.1111111111))))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 0.1428571429))))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 0.2))))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 0.3333333333))))
    (local.set $s (f32x4.add (f32x4.mul (local.get $s) (local.get $u2)) (f32x4.splat (f32.const 1))))
    (f32x4.mul (f32x4.mul (local.get $s) (local.get $u)) (f32x4.splat (f32.const 2))))

  ;; One Bernoulli term for 4 logits l and targets x:
  ;;   returns x l - softplus(l) = x l - max(l, 0) - log(1 + e^-|l|),
  ;;   and, when $grad is not 0, stores x - sigmoid(l) there.
  (func $bernoulliTerm (param $l v128) (param $x v128) (param $grad i32) (result v128)
    (local $e v128) (local $inverse v128)
    (local.set $e (call $expNegative (f32x4.abs (local.get $l))))
    (if (local.get $grad)
      (then
        (local.set $inverse (f32x4.div (f32x4.splat (f32.const 1))
          (f32x4.add (local.get $e) (f32x4.splat (f32.const 1)))))
        ;; sigmoid(l) = 1 / (1 + e) for l >= 0, e / (1 + e) below
        (v128.store (local.get $grad) (f32x4.sub (local.get $x)
          (v128.bitselect (local.get $inverse) (f32x4.mul (local.get $e) (local.get $inverse))
            (f32x4.ge (local.get $l) (f32x4.splat (f32.const 0))))))))
    (f32x4.sub
      (f32x4.sub (f32x4.mul (local.get $x) (local.get $l))
        (f32x4.max (local.get $l) (f32x4.splat (f32.const 0))))
      (call $log1p (local.get $e))))

  ;; The Bernoulli log-likelihood of x given logits, summed over each row:
  ;;   out[r] = sum_c x l - softplus(l) for logits [rows, cols], x [xRows, cols] (row r of
  ;;   the logits goes with row r mod xRows of x: samples of one batch share it);
  ;;   with grad not 0, also grad [rows, cols] = x - sigmoid(l), d out / d logits.
  (func (export "bernoulli")
    (param $logits i32) (param $x i32) (param $out i32) (param $grad i32)
    (param $rows i32) (param $cols i32) (param $xRows i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $p i32) (local $xp i32)
    (local $g i32) (local $group i32) (local $sum v128) (local $term v128)
    (local $product v128) (local $logs v128) (local $l v128) (local $xv v128) (local $e v128)
    (local $onePlus v128) (local $inverse v128)
    (local $a v128) (local $t v128) (local $n v128) (local $rr v128)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $sum (f32x4.splat (f32.const 0)))
        (local.set $p (i32.add (local.get $logits)
          (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
        (local.set $xp (i32.add (local.get $x)
          (i32.shl (i32.mul (i32.rem_u (local.get $r) (local.get $xRows)) (local.get $cols))
            (i32.const 2))))
        (local.set $g (select
          (i32.add (local.get $grad) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2)))
          (i32.const 0)
          (local.get $grad)))
        ;; sum = Σ x l - max(l, 0); the log(1 + e^-|l|) terms are summed as the log of
        ;; their product, one log per 16 vectors (a product of 16 terms in [1, 2] is exact
        ;; enough and cannot overflow)
        (local.set $product (f32x4.splat (f32.const 1)))
        (local.set $logs (f32x4.splat (f32.const 0)))
        (local.set $group (i32.const 0))
        (local.set $c (i32.const 0))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (local.set $l (v128.load (local.get $p)))
            (local.set $xv (v128.load (local.get $xp)))
            ;; e = e^-|l|, as $expNegative (inlined: this loop is the hot one). pmin and pmax
            ;; are one instruction each where min and max, for their NaN and signed-zero
            ;; rules, are several on x64; the values are the same (a NaN logit still gives
            ;; NaN through x l), and the loop runs 15% faster.
            (local.set $a (f32x4.neg (f32x4.pmin (f32x4.abs (local.get $l)) (f32x4.splat (f32.const 87)))))
            (local.set $t (f32x4.add (f32x4.mul (local.get $a) (f32x4.splat (f32.const 1.44269504088896341)))
              (f32x4.splat (f32.const 12582912))))
            (local.set $n (f32x4.sub (local.get $t) (f32x4.splat (f32.const 12582912))))
            (local.set $rr (f32x4.sub
              (f32x4.sub (local.get $a) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
              (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
            (local.set $e (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $rr))
              (f32x4.splat (f32.const 1.3981999507e-3))))
            (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $rr)) (f32x4.splat (f32.const 8.3334519073e-3))))
            (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $rr)) (f32x4.splat (f32.const 4.1665795894e-2))))
            (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $rr)) (f32x4.splat (f32.const 1.6666665459e-1))))
            (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $rr)) (f32x4.splat (f32.const 5.0000001201e-1))))
            (local.set $e (f32x4.add
              (f32x4.add (f32x4.mul (f32x4.mul (local.get $e) (local.get $rr)) (local.get $rr)) (local.get $rr))
              (f32x4.splat (f32.const 1))))
            (local.set $e (f32x4.mul (local.get $e)
              (i32x4.shl (i32x4.add (local.get $t) (i32x4.splat (i32.const -1262485377))) (i32.const 23))))
            (local.set $onePlus (f32x4.add (local.get $e) (f32x4.splat (f32.const 1))))
            (if (local.get $g)
              (then
                (local.set $inverse (f32x4.div (f32x4.splat (f32.const 1)) (local.get $onePlus)))
                ;; sigmoid(l) = 1 / (1 + e) for l >= 0, e / (1 + e) below
                (v128.store (local.get $g) (f32x4.sub (local.get $xv)
                  (v128.bitselect (local.get $inverse) (f32x4.mul (local.get $e) (local.get $inverse))
                    (f32x4.ge (local.get $l) (f32x4.splat (f32.const 0))))))
                (local.set $g (i32.add (local.get $g) (i32.const 16)))))
            (local.set $product (f32x4.mul (local.get $product) (local.get $onePlus)))
            (local.set $sum (f32x4.add (local.get $sum)
              (f32x4.sub (f32x4.mul (local.get $xv) (local.get $l))
                (f32x4.pmax (f32x4.splat (f32.const 0)) (local.get $l)))))
            (local.set $group (i32.add (local.get $group) (i32.const 1)))
            (if (i32.eq (local.get $group) (i32.const 16))
              (then
                (local.set $logs (f32x4.add (local.get $logs) (call $logAtLeastOne (local.get $product))))
                (local.set $product (f32x4.splat (f32.const 1)))
                (local.set $group (i32.const 0))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (local.set $sum (f32x4.sub (local.get $sum)
          (f32x4.add (local.get $logs) (call $logAtLeastOne (local.get $product)))))
        ;; the last cols mod 4: one lane at a time through the same vector code
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $term (call $bernoulliTerm
              (f32x4.splat (f32.load (local.get $p)))
              (f32x4.splat (f32.load (local.get $xp)))
              (i32.const 0)))
            (local.set $sum (f32x4.replace_lane 0 (local.get $sum)
              (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 0 (local.get $term)))))
            (if (local.get $g)
              (then
                (f32.store (local.get $g) (f32.sub (f32.load (local.get $xp))
                  (call $sigmoid (f32.load (local.get $p)))))
                (local.set $g (i32.add (local.get $g) (i32.const 4)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
            (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
  )

  ;; Depth-to-space with a crop, in one pass: src [n, positionsH, positionsW, s*s*channels]
  ;; holds at [t_h, t_w] the s x s phases of output pixels (s*t + rho); dst [n, outH, outW,
  ;; channels] gets pixel (r, q) from position ((r + cropH) / s, (q + cropW) / s), phase
  ;; ((r + cropH) mod s, (q + cropW) mod s). Copies `channels` floats a pixel, four at a time.
  (func (export "shuffleCrop")
    (param $src i32) (param $dst i32) (param $n i32) (param $positionsH i32)
    (param $positionsW i32) (param $s i32) (param $channels i32) (param $outH i32)
    (param $outW i32) (param $cropH i32) (param $cropW i32)
    (local $b i32) (local $r i32) (local $q i32) (local $i i32) (local $c4 i32)
    (local $rowBase i32) (local $from i32) (local $phaseRow i32) (local $iw i32)
    (local $pixelFloats i32)
    (local.set $c4 (i32.and (local.get $channels) (i32.const -4)))
    (local.set $pixelFloats (i32.mul (i32.mul (local.get $s) (local.get $s)) (local.get $channels)))
    (local.set $b (i32.const 0))
    (block $batchDone
      (loop $batch
        (br_if $batchDone (i32.ge_u (local.get $b) (local.get $n)))
        (local.set $r (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $outH)))
            ;; float index of position (b, t_h, 0), and the phase row's channel offset
            (local.set $rowBase
              (i32.mul
                (i32.mul
                  (i32.add
                    (i32.mul (local.get $b) (local.get $positionsH))
                    (i32.div_u (i32.add (local.get $r) (local.get $cropH)) (local.get $s)))
                  (local.get $positionsW))
                (local.get $pixelFloats)))
            (local.set $phaseRow
              (i32.mul
                (i32.mul
                  (i32.rem_u (i32.add (local.get $r) (local.get $cropH)) (local.get $s))
                  (local.get $s))
                (local.get $channels)))
            (local.set $q (i32.const 0))
            (block $colsDone
              (loop $cols
                (br_if $colsDone (i32.ge_u (local.get $q) (local.get $outW)))
                (local.set $iw (i32.add (local.get $q) (local.get $cropW)))
                (local.set $from
                  (i32.add
                    (local.get $src)
                    (i32.shl
                      (i32.add
                        (i32.add
                          (local.get $rowBase)
                          (i32.mul (i32.div_u (local.get $iw) (local.get $s)) (local.get $pixelFloats)))
                        (i32.add
                          (local.get $phaseRow)
                          (i32.mul (i32.rem_u (local.get $iw) (local.get $s)) (local.get $channels))))
                      (i32.const 2))))
                (local.set $i (i32.const 0))
                (block $vectorsDone
                  (loop $vectors
                    (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $c4)))
                    (v128.store (local.get $dst) (v128.load (local.get $from)))
                    (local.set $from (i32.add (local.get $from) (i32.const 16)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                    (local.set $i (i32.add (local.get $i) (i32.const 4)))
                    (br $vectors)))
                (block $floatsDone
                  (loop $floats
                    (br_if $floatsDone (i32.ge_u (local.get $i) (local.get $channels)))
                    (f32.store (local.get $dst) (f32.load (local.get $from)))
                    (local.set $from (i32.add (local.get $from) (i32.const 4)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $floats)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $cols)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rows)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $batch)))
  )

  ;; Column sums: dst[c] = sum over r of src[r * cols + c], for src [rows, cols], four
  ;; columns at a time, the rows in order (a conv layer's bias gradient: dy viewed as
  ;; [n*h*w, channels]).
  (func (export "columnSums")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $cols4 i32) (local $p i32) (local $q i32)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $c (i32.const 0))
    (block $zeroDone
      (loop $zero
        (br_if $zeroDone (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store
          (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
          (f32.const 0))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $zero)))
    (local.set $p (local.get $src))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $q (local.get $dst))
        (local.set $c (i32.const 0))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $c) (local.get $cols4)))
            (v128.store (local.get $q)
              (f32x4.add (v128.load (local.get $q)) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vectors)))
        (block $floatsDone
          (loop $floats
            (br_if $floatsDone (i32.ge_u (local.get $c) (local.get $cols)))
            (f32.store (local.get $q)
              (f32.add (f32.load (local.get $q)) (f32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $floats)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
  )

  ;; The number of ones in src [n] when every value is 0 or 1 (-0 counts as 0), else -1:
  ;; whether a dense layer's input is binary (binarized images), for the products below.
  (func (export "binaryCount") (param $src i32) (param $n i32) (result i32)
    (local $i i32) (local $n4 i32) (local $v v128) (local $isOne v128)
    (local $count v128) (local $bad v128) (local $total i32) (local $x f32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $v (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $isOne (f32x4.eq (local.get $v) (f32x4.splat (f32.const 1))))
        ;; a lane that is 1 is all ones (-1): subtracting it counts it
        (local.set $count (i32x4.sub (local.get $count) (local.get $isOne)))
        (local.set $bad (v128.or (local.get $bad)
          (v128.not (v128.or (local.get $isOne)
            (f32x4.eq (local.get $v) (f32x4.splat (f32.const 0)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (if (v128.any_true (local.get $bad)) (then (return (i32.const -1))))
    (local.set $total (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $count)) (i32x4.extract_lane 1 (local.get $count)))
      (i32.add (i32x4.extract_lane 2 (local.get $count)) (i32x4.extract_lane 3 (local.get $count)))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (f32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2)))))
        (if (f32.eq (local.get $x) (f32.const 1))
          (then (local.set $total (i32.add (local.get $total) (i32.const 1))))
          (else (if (f32.ne (local.get $x) (f32.const 0)) (then (return (i32.const -1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (local.get $total))

  ;; Appends to the i32 list at $list the value $step * i for each i < n where
  ;; src[i] is 1 (src: float32), i increasing; returns the list's new end.
  ;; Four floats without a 1 are passed over with one vector compare.
  (func $onesOf (param $src i32) (param $n i32) (param $list i32) (param $step i32)
    (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.and (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $n))
              (i32.eqz (v128.any_true (f32x4.eq
                (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
                (f32x4.splat (f32.const 1))))))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))
        (if (f32.eq (f32.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
              (f32.const 1))
          (then
            (i32.store (local.get $list)
              (i32.mul (local.get $step) (local.get $i)))
            (local.set $list (i32.add (local.get $list) (i32.const 4)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $list))

  ;; dst [cols] = the sum of the rows of src at the byte offsets listed in [list, end),
  ;; in list order, each float accumulated one term at a time from its start value (as
  ;; XNNPACK's products accumulate, so the sum is the same float), then act:
  ;; start: the bias (flags & 4) or 0; flags & 1 adds the bias after the sum, flags & 2
  ;; applies relu. 16 columns at a time in four registers (faster here than 8 or 32), then 4, then 1.
  (func $sumRows (param $src i32) (param $list i32) (param $end i32) (param $dst i32)
    (param $bias i32) (param $cols i32) (param $flags i32)
    (local $c i32) (local $q i32) (local $p i32) (local $b i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $s f32) (local $zero v128)
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $cols)))
        (local.set $b (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then
            (local.set $a0 (v128.load offset=0 (local.get $b)))
            (local.set $a1 (v128.load offset=16 (local.get $b)))
            (local.set $a2 (v128.load offset=32 (local.get $b)))
            (local.set $a3 (v128.load offset=48 (local.get $b)))
            
            
            
            )
          (else
            (local.set $a0 (local.get $zero)) (local.set $a1 (local.get $zero))
            (local.set $a2 (local.get $zero)) (local.set $a3 (local.get $zero))
             
             ))
        (local.set $q (local.get $list))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $p (i32.add (i32.add (local.get $src) (i32.load (local.get $q)))
              (i32.shl (local.get $c) (i32.const 2))))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
            (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
            (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
            (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
            
            
            
            
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $terms)))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $b))))
            (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $b))))
            (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $b))))
            (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $b))))
            
            
            
            ))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then
            (local.set $a0 (f32x4.max (local.get $a0) (local.get $zero)))
            (local.set $a1 (f32x4.max (local.get $a1) (local.get $zero)))
            (local.set $a2 (f32x4.max (local.get $a2) (local.get $zero)))
            (local.set $a3 (f32x4.max (local.get $a3) (local.get $zero)))
            
            
            
            ))
        (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))))
        (v128.store offset=0 (local.get $p) (local.get $a0))
        (v128.store offset=16 (local.get $p) (local.get $a1))
        (v128.store offset=32 (local.get $p) (local.get $a2))
        (v128.store offset=48 (local.get $p) (local.get $a3))
        
        
        
        
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $wide)))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
        (local.set $b (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $a0 (select (result v128) (v128.load (local.get $b)) (local.get $zero)
          (i32.and (local.get $flags) (i32.const 4))))
        (local.set $q (local.get $list))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load (i32.add
              (i32.add (local.get $src) (i32.load (local.get $q)))
              (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $terms)))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $b))))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $a0 (f32x4.max (local.get $a0) (local.get $zero)))))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))) (local.get $a0))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $narrow)))
    (block $floatsDone
      (loop $floats
        (br_if $floatsDone (i32.ge_u (local.get $c) (local.get $cols)))
        (local.set $b (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $s (select (result f32) (f32.load (local.get $b)) (f32.const 0)
          (i32.and (local.get $flags) (i32.const 4))))
        (local.set $q (local.get $list))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $s (f32.add (local.get $s) (f32.load (i32.add
              (i32.add (local.get $src) (i32.load (local.get $q)))
              (i32.shl (local.get $c) (i32.const 2))))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $terms)))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $b))))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $floats)))
  )

  ;; out [rows, cols] = act(x [rows, inner] @ w [inner, cols] (+ bias [cols])) for x of
  ;; zeros and ones: row r of out sums the rows k of w where x[r, k] is 1, k increasing
  ;; (a skipped term x * w is +-0, which leaves a sum that never is -0 unchanged). flags
  ;; as $sumRows's. list: scratch of inner i32.
  (func (export "binaryRowsProduct")
    (param $x i32) (param $w i32) (param $bias i32) (param $out i32) (param $list i32)
    (param $rows i32) (param $inner i32) (param $cols i32) (param $flags i32)
    (local $r i32) (local $end i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $end (call $onesOf
          (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $inner)) (i32.const 2)))
          (local.get $inner) (local.get $list) (local.get $rowBytes)))
        (call $sumRows (local.get $w) (local.get $list) (local.get $end)
          (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes)))
          (local.get $bias) (local.get $cols) (local.get $flags))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next)))
  )

  ;; out [inner, cols] = transpose(x [rows, inner]) @ dz [rows, cols] for x of zeros and
  ;; ones (a first dense layer's weight gradient): row k of out sums the rows r of dz
  ;; where x[r, k] is 1, r increasing, as XNNPACK's product of transpose(x) and dz does.
  ;; starts: scratch of inner + 1 i32; list: scratch of ones i32 (ones = the count of 1s).
  (func (export "binaryColumnsProduct")
    (param $x i32) (param $dz i32) (param $out i32) (param $starts i32) (param $list i32)
    (param $rows i32) (param $inner i32) (param $cols i32)
    (local $r i32) (local $k i32) (local $p i32) (local $q i32) (local $total i32)
    (local $count i32) (local $rowBytes i32) (local $cell i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    ;; the count of ones of each column of x (in starts[k + 1])
    (memory.fill (local.get $starts) (i32.const 0)
      (i32.shl (i32.add (local.get $inner) (i32.const 1)) (i32.const 2)))
    (local.set $p (local.get $x))
    (local.set $q (i32.add (local.get $x)
      (i32.shl (i32.mul (local.get $rows) (local.get $inner)) (i32.const 2))))
    (block $countDone
      (loop $counting
        (br_if $countDone (i32.ge_u (local.get $p) (local.get $q)))
        (if (f32.eq (f32.load (local.get $p)) (f32.const 1))
          (then
            ;; k + 1 = (p - x) / 4 mod inner + 1: kept by walking k alongside p
            (local.set $cell (i32.add (local.get $starts)
              (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2))))
            (i32.store (local.get $cell) (i32.add (i32.load (local.get $cell)) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (if (i32.eq (local.get $k) (local.get $inner)) (then (local.set $k (i32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $counting)))
    ;; running sums: starts[k] = where column k's list begins
    (local.set $k (i32.const 1))
    (block $sumsDone
      (loop $sums
        (br_if $sumsDone (i32.gt_u (local.get $k) (local.get $inner)))
        (local.set $p (i32.add (local.get $starts) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $total (i32.add (local.get $total) (i32.load (local.get $p))))
        (i32.store (local.get $p) (local.get $total))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $sums)))
    ;; the lists, rows in order: starts[k] moves to the end of column k's list, which is
    ;; where column k + 1's begins; starts[inner] stays the total
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $p (i32.add (local.get $x)
          (i32.shl (i32.mul (local.get $r) (local.get $inner)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $colsDone
          (loop $colsLoop
            (br_if $colsDone (i32.ge_u (local.get $k) (local.get $inner)))
            (if (f32.eq (f32.load (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2))))
                  (f32.const 1))
              (then
                (local.set $q (i32.add (local.get $starts) (i32.shl (local.get $k) (i32.const 2))))
                (local.set $count (i32.load (local.get $q)))
                (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2)))
                  (i32.mul (local.get $r) (local.get $rowBytes)))
                (i32.store (local.get $q) (i32.add (local.get $count) (i32.const 1)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $colsLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
    ;; column k's list ends at starts[k] now and begins where column k - 1's ends
    (local.set $k (i32.const 0))
    (local.set $total (i32.const 0))
    (block $outDone
      (loop $outRows
        (br_if $outDone (i32.ge_u (local.get $k) (local.get $inner)))
        (local.set $count
          (i32.load (i32.add (local.get $starts) (i32.shl (local.get $k) (i32.const 2)))))
        (call $sumRows (local.get $dz)
          (i32.add (local.get $list) (i32.shl (local.get $total) (i32.const 2)))
          (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2)))
          (i32.add (local.get $out) (i32.mul (local.get $k) (local.get $rowBytes)))
          (i32.const 0) (local.get $cols) (i32.const 0))
        (local.set $total (local.get $count))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $outRows)))
  )

  ;; sigmoid of one float, through the vector exponential.
  (func $sigmoid (param $l f32) (result f32)
    (local $e f32)
    (local.set $e (f32x4.extract_lane 0 (call $expNegative (f32x4.splat (f32.abs (local.get $l))))))
    (select
      (f32.div (f32.const 1) (f32.add (f32.const 1) (local.get $e)))
      (f32.div (local.get $e) (f32.add (f32.const 1) (local.get $e)))
      (f32.ge (local.get $l) (f32.const 0))))
)
