//! Pure work over many independent items (documents, principals) on every core, results in
//! input order — so that output never depends on how the work was split.

/// `f` of every item, in order; on every core once there are at least `from` items.
pub fn map<T: Sync, R: Send>(items: &[T], from: usize, f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    match try_map(items, from, &|item| {
        Ok::<R, std::convert::Infallible>(f(item))
    }) {
        Ok(all) => all,
        Err(never) => match never {},
    }
}

/// `f` of every item, in order, or the error of the first item (in input order) that fails;
/// on every core once there are at least `from` items. Every vector is allocated at its final
/// size: with 100,000s of items, growing them by doubling would touch several times the
/// memory (and fresh memory costs time to map).
pub fn try_map<T: Sync, R: Send, E: Send>(
    items: &[T],
    from: usize,
    f: &(dyn Fn(&T) -> Result<R, E> + Sync),
) -> Result<Vec<R>, E> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let run = |chunk: &[T]| -> Result<Vec<R>, E> {
        let mut out = Vec::with_capacity(chunk.len());
        for item in chunk {
            out.push(f(item)?);
        }
        Ok(out)
    };
    if items.len() < from.max(2) || threads < 2 {
        return run(items);
    }
    let chunk = items.len().div_ceil(threads);
    let parts: Vec<Result<Vec<R>, E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || run(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    // Chunks are in input order, so the first failed chunk holds the first failed item.
    let mut all = Vec::with_capacity(items.len());
    for part in parts {
        all.append(&mut part?);
    }
    Ok(all)
}

/// `a()` and `b()`, `a` on another core when there is one and `parallel` is true (spawning a
/// thread costs more than small work saves).
pub fn join<A: Send, B>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if !parallel || cores < 2 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(a);
        let b = b();
        let a = handle
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_input_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = super::map(&items, 64, &|i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(super::map(&[1u8], 64, &|i| *i), vec![1]);
    }

    #[test]
    fn the_first_failure_in_input_order_is_returned() {
        let items: Vec<u32> = (0..10_000).collect();
        let fails_at = |bad: &'static [u32]| {
            super::try_map(&items, 64, &|i| {
                if bad.contains(i) {
                    Err(*i)
                } else {
                    Ok(*i)
                }
            })
        };
        // 9,000 is in a later chunk than 10 and 4,000 on any number of cores.
        assert_eq!(fails_at(&[9_000, 4_000, 10]), Err(10));
        assert_eq!(fails_at(&[9_999]), Err(9_999));
        assert_eq!(fails_at(&[]).map(|v| v.len()), Ok(10_000));
    }

    #[test]
    fn join_gives_both_results_either_way() {
        for parallel in [false, true] {
            let v: Vec<u32> = (0..1000).collect();
            let (a, b) = super::join(parallel, || v.iter().sum::<u32>(), || v.len());
            assert_eq!((a, b), (499_500, 1000));
        }
    }
}
