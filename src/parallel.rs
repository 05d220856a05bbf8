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
    let mut parts = try_map_parts(items, from, &|_, item| f(item))?;
    if parts.len() == 1 {
        return Ok(parts.pop().expect("one part"));
    }
    let mut all = Vec::with_capacity(items.len());
    for mut part in parts {
        all.append(&mut part);
    }
    Ok(all)
}

/// [`try_map`] with each item's index, in parts, in order (one per core), not copied into one
/// vector: for a caller that moves the results elsewhere anyway.
pub fn try_map_parts<T: Sync, R: Send, E: Send>(
    items: &[T],
    from: usize,
    f: &(dyn Fn(usize, &T) -> Result<R, E> + Sync),
) -> Result<Vec<Vec<R>>, E> {
    // Chunks are in input order, so the first failed chunk holds the first failed item.
    map_chunks_at(items, from, &|start, chunk: &[T]| -> Result<Vec<R>, E> {
        let mut out = Vec::with_capacity(chunk.len());
        for (i, item) in chunk.iter().enumerate() {
            out.push(f(start + i, item)?);
        }
        Ok(out)
    })
    .into_iter()
    .collect()
}

/// `f` of consecutive runs of the items, one run per core (once there are at least `from`
/// items; else one run of all), in order: for work that keeps state across items, such as one
/// output buffer per core.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    from: usize,
    f: &(dyn Fn(&[T]) -> R + Sync),
) -> Vec<R> {
    map_chunks_at(items, from, &|_, chunk| f(chunk))
}

/// [`map_chunks`] with the index of each run's first item.
fn map_chunks_at<T: Sync, R: Send>(
    items: &[T],
    from: usize,
    f: &(dyn Fn(usize, &[T]) -> R + Sync),
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if items.len() < from.max(2) || threads < 2 {
        return vec![f(0, items)];
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(k, c)| scope.spawn(move || f(k * chunk, c)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// `f` of every item, in order, each item taken by the next free core: for a few items of
/// very different cost (lint rules), where equal chunks would leave one core idle.
pub fn map_each<T: Sync, R: Send>(items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if items.len() < 2 || threads < 2 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        let work = || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let r = f(item);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        };
        let helpers: Vec<_> = (1..threads.min(items.len()))
            .map(|_| scope.spawn(work))
            .collect();
        work();
        for h in helpers {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item is taken by one worker")
        })
        .collect()
}

/// `f` of every item, in order; once there are at least `from` items, batches of `batch`
/// items are taken by the next free core: for items of very different cost.
pub fn map_batched<T: Sync, R: Send>(
    items: &[T],
    from: usize,
    batch: usize,
    f: &(dyn Fn(&T) -> R + Sync),
) -> Vec<R> {
    filter_map_batched(items, from, batch, &|item| Some(f(item)))
}

/// [`map_batched`] keeping only what `f` returns: nothing is held for the items it drops
/// (large answers for a few of many items).
pub fn filter_map_batched<T: Sync, R: Send>(
    items: &[T],
    from: usize,
    batch: usize,
    f: &(dyn Fn(&T) -> Option<R> + Sync),
) -> Vec<R> {
    if items.len() < from.max(2) {
        return items.iter().filter_map(f).collect();
    }
    let batches: Vec<&[T]> = items.chunks(batch.max(1)).collect();
    let parts = map_each(&batches, &|b| b.iter().filter_map(f).collect::<Vec<R>>());
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for mut part in parts {
        all.append(&mut part);
    }
    all
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
        let indexed = super::try_map_parts(&items, 64, &|at, i| Ok::<_, ()>((at, *i)))
            .map(|parts| parts.concat());
        let expected: Vec<(usize, u32)> = items.iter().map(|&i| (i as usize, i)).collect();
        assert_eq!(indexed, Ok(expected));
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
    fn map_each_keeps_input_order() {
        let items: Vec<u64> = (0..100).collect();
        // Uneven work: later items finish first on another core.
        let out = super::map_each(&items, &|i| (0..(100 - i) * 1000).sum::<u64>() + i);
        let expected: Vec<u64> = items
            .iter()
            .map(|i| (0..(100 - i) * 1000).sum::<u64>() + i)
            .collect();
        assert_eq!(out, expected);
        assert_eq!(super::map_each(&[7u8], &|i| *i), vec![7]);
        assert!(super::map_each(&[] as &[u8], &|i| *i).is_empty());
        let many: Vec<u32> = (0..1000).collect();
        for from in [0, 1, 64, 5000] {
            let doubled = super::map_batched(&many, from, 7, &|i| i * 2);
            assert_eq!(doubled, many.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
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
