//! A meeting's timings: when each agenda item starts and when the meeting ends, as a board
//! secretary writes them. The meeting's `time:` is its start; an item may give its own start
//! (`time: "10:20"`) and how long it is planned to take (`duration: 15`, minutes). An item
//! with no `time:` starts when the one before it ends (its start plus its duration), and the
//! first item when the meeting starts; the meeting ends at its `end:`, else when its last item
//! ends. Times are 24-hour `HH:MM`, within the day.

use crate::Meeting;

/// A time of day in minutes after midnight, from `HH:MM` (or `H:MM`), if it is one.
pub fn clock(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let digits = |s: &str, max: u16| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u16>().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    let (h, m) = (digits(h, 23)?, digits(m, 59)?);
    (m < 60 && text.trim().split_once(':')?.1.len() == 2).then_some(h * 60 + m)
}

/// `HH:MM` for a time of day in minutes.
pub fn show(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// When each item of a meeting starts, and when the meeting ends, where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// By agenda index: the item's start, in minutes after midnight.
    pub starts: Vec<Option<u16>>,
    pub end: Option<u16>,
}

impl Meeting {
    /// Whether the agenda gives any timings: without, no item has a start shown.
    pub fn is_timed(&self) -> bool {
        self.end.is_some() || self.agenda.iter().any(|a| a.time.is_some() || a.duration.is_some())
    }

    /// The meeting's timings (see the module). A time that is not `HH:MM` counts as not given
    /// (the check reports it); a duration that would run past midnight ends nothing.
    pub fn schedule(&self) -> Schedule {
        if !self.is_timed() {
            return Schedule { starts: vec![None; self.agenda.len()], end: None };
        }
        let mut starts = Vec::with_capacity(self.agenda.len());
        // When the item before ends: the meeting's start for the first item.
        let mut next = self.time.as_ref().and_then(|t| clock(&t.0));
        for item in &self.agenda {
            let start = item.time.as_ref().and_then(|t| clock(&t.0)).or(next);
            starts.push(start);
            next = start.zip(item.duration).map(|(s, d)| s + d).filter(|t| *t < 24 * 60);
        }
        let end = self.end.as_ref().and_then(|t| clock(&t.0)).or(if self.agenda.is_empty() { None } else { next });
        Schedule { starts, end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day() {
        assert_eq!(clock("10:00"), Some(600));
        assert_eq!(clock("9:05"), Some(545));
        for bad in ["24:00", "10:60", "10", "10:5", "ten", "10:00pm", ":30", "-1:00"] {
            assert_eq!(clock(bad), None, "{bad}");
        }
        assert_eq!(show(545), "09:05");
    }
}
