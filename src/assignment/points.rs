//! The points math of an assignment: a part's checks or questions are scaled so that they add
//! up to the part's `points`, exactly, in hundredths (the precision reports show).

use crate::report::{round2, ItemResult, ItemStatus};

/// Shares `total` points among items in proportion to `weights`, in hundredths, so that the
/// shares add up to `total` (rounded to hundredths) exactly: each gets the floor of its exact
/// share, and the hundredths left over go to the largest remainders (ties to the earlier
/// item). All zeros when the weights add up to nothing.
pub fn apportion(total: f64, weights: &[f64]) -> Vec<f64> {
    let sum: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    if sum.is_nan() || sum <= 0.0 || !total.is_finite() || total <= 0.0 {
        return vec![0.0; weights.len()];
    }
    let cents = (total * 100.0).round() as i64;
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| w.max(0.0) / sum * cents as f64)
        .collect();
    let mut shares: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let left = cents - shares.iter().sum::<i64>();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    // Stable sort: equal remainders keep their order, so the earlier item wins a tie.
    by_remainder.sort_by(|&a, &b| {
        let ra = exact[a] - exact[a].floor();
        let rb = exact[b] - exact[b].floor();
        rb.total_cmp(&ra)
    });
    for &i in by_remainder.iter().take(left.max(0) as usize) {
        shares[i] += 1;
    }
    shares.into_iter().map(|c| c as f64 / 100.0).collect()
}

/// An item's points on a new scale: `points / max_points` of `scaled_max`, in hundredths. A
/// passed item gets all of `scaled_max` (its verdict, not a rounding, decides full marks).
pub fn scale(points: f64, max_points: f64, scaled_max: f64, status: ItemStatus) -> f64 {
    if status == ItemStatus::Passed && points >= max_points - 1e-9 {
        return scaled_max;
    }
    if max_points <= 0.0 {
        return 0.0;
    }
    round2((points / max_points * scaled_max).clamp(0.0, scaled_max))
}

/// The part's items rescaled to add up to `part_points`, their ids prefixed with `part_id/`.
/// Everything else an item says (status, messages, required, visibility) is kept; a hint
/// charge is scaled with the points.
pub fn rescale(part_id: &str, items: &[ItemResult], part_points: f64) -> Vec<ItemResult> {
    let weights: Vec<f64> = items.iter().map(|i| i.max_points).collect();
    let maxima = apportion(part_points, &weights);
    items
        .iter()
        .zip(maxima)
        .map(|(item, max)| {
            let mut scaled = item.clone();
            scaled.id = format!("{part_id}/{}", item.id);
            scaled.points = scale(item.points, item.max_points, max, item.status);
            if item.max_points > 0.0 {
                scaled.hint_penalty = round2(item.hint_penalty / item.max_points * max);
            }
            scaled.max_points = max;
            // The part's own unrounded points are on its own scale: the scaled points, exact to
            // the hundredth by construction, are what the assignment's percentage counts.
            scaled.exact_points = None;
            scaled
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(v: &[f64]) -> f64 {
        round2(v.iter().sum())
    }

    #[test]
    fn shares_add_up_to_the_total_exactly() {
        // Three equal checks in a 10-point part: 3.34 + 3.33 + 3.33, not 3 × 3.33 = 9.99.
        assert_eq!(apportion(10.0, &[1.0, 1.0, 1.0]), vec![3.34, 3.33, 3.33]);
        assert_eq!(apportion(20.0, &[2.0, 1.0, 1.0]), vec![10.0, 5.0, 5.0]);
        assert_eq!(
            apportion(1.0, &[1.0; 7]),
            vec![0.15, 0.15, 0.14, 0.14, 0.14, 0.14, 0.14]
        );
        for total in [0.01, 1.0, 7.5, 33.33, 100.0, 999.99] {
            for weights in [
                vec![1.0],
                vec![0.5, 2.0, 3.25],
                vec![1.0; 13],
                vec![5.0, 0.0, 1.0],
            ] {
                let shares = apportion(total, &weights);
                assert_eq!(sum(&shares), total, "{total} over {weights:?}: {shares:?}");
                assert!(shares.iter().all(|s| *s >= 0.0));
            }
        }
    }

    #[test]
    fn the_largest_remainder_gets_the_hundredth() {
        // 10 × 0.2/1.0 = 2, 10 × 0.8/1.0 = 8: exact; 1 over [1, 2]: 0.333 and 0.667.
        assert_eq!(apportion(10.0, &[0.2, 0.8]), vec![2.0, 8.0]);
        assert_eq!(apportion(1.0, &[1.0, 2.0]), vec![0.33, 0.67]);
    }

    #[test]
    fn nothing_to_share_is_all_zeros() {
        assert_eq!(apportion(10.0, &[0.0, 0.0]), vec![0.0, 0.0]);
        assert_eq!(apportion(10.0, &[]), Vec::<f64>::new());
        assert_eq!(apportion(f64::NAN, &[1.0]), vec![0.0]);
    }

    #[test]
    fn scaling_keeps_the_fraction_and_full_marks() {
        assert_eq!(scale(1.0, 2.0, 10.0, ItemStatus::Partial), 5.0);
        assert_eq!(scale(2.0, 2.0, 3.34, ItemStatus::Passed), 3.34);
        assert_eq!(scale(0.0, 2.0, 3.34, ItemStatus::Failed), 0.0);
        assert_eq!(scale(1.0, 3.0, 1.0, ItemStatus::Partial), 0.33);
        assert_eq!(scale(0.0, 0.0, 0.0, ItemStatus::Error), 0.0);
    }

    #[test]
    fn rescaled_items_are_prefixed_and_add_up() {
        let items = vec![
            ItemResult::new("a", "A", 1.0, 1.0),
            ItemResult::new("b", "B", 0.5, 1.0),
            ItemResult::new("c", "C", 0.0, 1.0),
        ];
        let scaled = rescale("lab-x", &items, 10.0);
        let ids: Vec<&str> = scaled.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["lab-x/a", "lab-x/b", "lab-x/c"]);
        let maxima: Vec<f64> = scaled.iter().map(|i| i.max_points).collect();
        assert_eq!(maxima, [3.34, 3.33, 3.33]);
        let points: Vec<f64> = scaled.iter().map(|i| i.points).collect();
        assert_eq!(points, [3.34, 1.67, 0.0]);
        let statuses: Vec<ItemStatus> = scaled.iter().map(|i| i.status).collect();
        assert_eq!(
            statuses,
            [ItemStatus::Passed, ItemStatus::Partial, ItemStatus::Failed]
        );
    }
}
