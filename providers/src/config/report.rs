//! What is wrong in a configuration file, and where: each problem is rendered as rustc renders
//! an error, with the file's line and a caret under the offending text.

use std::fmt;
use std::ops::Range;

/// One mistake, at a byte range of the file (`None`: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, and how to fix it.
    pub message: String,
    /// Where.
    pub span: Option<Range<usize>>,
}

impl Problem {
    /// `message` about the text at `span`.
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            span: Some(span),
        }
    }

    /// `message` about the file as a whole.
    pub fn whole(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            span: None,
        }
    }
}

/// The problems of one file, ready to print.
#[derive(Debug)]
pub struct Report {
    file: String,
    text: String,
    problems: Vec<Problem>,
}

impl Report {
    /// The `problems` of `file`, whose contents are `text`.
    pub fn new(file: impl Into<String>, text: impl Into<String>, problems: Vec<Problem>) -> Self {
        Report {
            file: file.into(),
            text: text.into(),
            problems,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    fn position(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    fn render(&self, problem: &Problem, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", problem.message)?;
        let Some(span) = &problem.span else {
            return writeln!(f, " --> {}", self.file);
        };
        let (line, column) = self.position(span.start);
        let number = line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(f, "{gutter}--> {}:{line}:{column}", self.file)?;
        let text = self.text.lines().nth(line - 1).unwrap_or_default();
        // The caret covers the span's first line, at least one character.
        let width = self
            .text
            .get(span.clone())
            .and_then(|spanned| spanned.lines().next())
            .map_or(1, |part| part.chars().count().max(1));
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {text}")?;
        writeln!(
            f,
            "{gutter} | {}{}",
            " ".repeat(column - 1),
            "^".repeat(width)
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            self.render(problem, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}
