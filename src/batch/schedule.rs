//! Which operations a run sends, and in what order: each owner's rows queued in input
//! order; rows an earlier run's journal records as done, or leaves uncertain (and the
//! later rows of that owner), reported at once; a row repeating the previous row of
//! its owner sent once, with its original.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::journal::Prior;
use super::op::BatchOp;
use super::results::{BatchResult, Outcome};
use crate::model::Owner;

/// Which operation may go next.
#[derive(Default)]
pub(super) struct Schedule {
    /// Each owner's operations not yet taken, in input order.
    pub queues: HashMap<Owner, VecDeque<usize>>,
    /// The first operation of each idle owner, ordered by input position.
    pub ready: BTreeSet<usize>,
    /// Operations taken and not finished.
    pub in_flight: usize,
}

/// What a run starts from.
pub(super) struct Prepared {
    /// Results known before anything is sent (done earlier, uncertain, waiting).
    pub early: Vec<BatchResult>,
    /// The operations to send.
    pub schedule: Schedule,
    /// Rows repeating an earlier one (reported when it ends), by that row.
    pub duplicates: HashMap<usize, Vec<usize>>,
    /// How many operations will be sent.
    pub to_send: usize,
}

/// Sorts the input's rows for a run resuming `prior` (empty for a new run).
pub(super) fn prepare(ops: &[BatchOp], prior: &Prior, resume_uncertain: bool) -> Prepared {
    let dup_of = duplicates_of(ops);
    let mut duplicates: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut early = Vec::new();
    let mut schedule = Schedule::default();
    let mut to_send = 0;
    // An owner whose earlier row is uncertain: its later rows wait for that one, so
    // that a resent start never lands after the stop that followed it.
    let mut blocked: HashMap<Owner, usize> = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        let index = i + 1;
        let original = dup_of.get(&index).copied();
        let lead = original.unwrap_or(index);
        if let Some(done) = prior.done.get(&index) {
            let mut again = done.clone();
            again.message = Some(match &done.message {
                Some(m) => format!("done by an earlier run (journal): {m}"),
                None => "done by an earlier run (journal)".into(),
            });
            early.push(again);
        } else if let Some(orig) = original.filter(|o| prior.done.contains_key(o)) {
            let mut r = BatchResult::new(index, op, Outcome::Skipped);
            r.message = Some(format!("duplicate of row {orig}: done by an earlier run"));
            early.push(r);
        } else if prior.in_flight.contains(&lead) && !resume_uncertain {
            let mut r = BatchResult::new(index, op, Outcome::Uncertain);
            r.message = Some(
                "sent by an earlier run that ended before Zoom's answer: it may have been \
                 done; resume with resume_uncertain to send it again"
                    .into(),
            );
            blocked.entry(op.owner).or_insert(index);
            early.push(r);
        } else if let Some(&row) = blocked.get(&op.owner) {
            let mut r = BatchResult::new(index, op, Outcome::Deferred);
            r.message = Some(format!(
                "not sent: row {row} on the same {} is uncertain; resume with \
                 resume_uncertain to send both in order",
                op.owner.kind().as_str()
            ));
            early.push(r);
        } else if let Some(orig) = original {
            duplicates.entry(orig).or_default().push(index);
        } else {
            let queue = schedule.queues.entry(op.owner).or_default();
            if queue.is_empty() {
                schedule.ready.insert(index);
            }
            queue.push_back(index);
            to_send += 1;
        }
    }
    Prepared {
        early,
        schedule,
        duplicates,
        to_send,
    }
}

/// Which row each row repeats: the same operation (same values, stream key included)
/// as the previous operation on the same owner, with none between them.
fn duplicates_of(ops: &[BatchOp]) -> HashMap<usize, usize> {
    let mut last: HashMap<Owner, usize> = HashMap::new();
    let mut dup_of = HashMap::new();
    for (i, op) in ops.iter().enumerate() {
        let index = i + 1;
        match last.get(&op.owner) {
            Some(&prev) if ops[prev - 1].identity() == op.identity() => {
                let original = *dup_of.get(&prev).unwrap_or(&prev);
                dup_of.insert(index, original);
            }
            _ => {}
        }
        last.insert(op.owner, index);
    }
    dup_of
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, MeetingId};

    #[test]
    fn only_an_owners_repeated_operation_is_a_duplicate() {
        let (a, b) = (MeetingId::new(1).unwrap(), MeetingId::new(2).unwrap());
        let start = |m| BatchOp::status(m, Action::Start, None).unwrap();
        let stop = |m| BatchOp::status(m, Action::Stop, None).unwrap();
        let ops = [start(a), start(b), start(a), start(a), stop(a), start(a)];
        let dups = duplicates_of(&ops);
        assert_eq!(dups.get(&3), Some(&1));
        assert_eq!(dups.get(&4), Some(&1));
        assert_eq!(dups.len(), 2, "{dups:?}");
    }
}
