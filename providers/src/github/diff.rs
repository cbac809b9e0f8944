//! A unified diff with each line's review position, the number GitHub's review comments take:
//! position 1 is the line below a file's first `@@` header, and counting goes on through later
//! hunks (their headers included) until the next file.

use std::fmt::Write as _;

/// The diff as markdown: a section per file, each line prefixed with its position.
pub fn with_positions(diff: &str) -> String {
    let mut text = String::new();
    let mut position: Option<u64> = None;
    for line in diff.lines() {
        if let Some(paths) = line.strip_prefix("diff --git ") {
            // Every file opens a fence; close the previous one.
            if !text.is_empty() {
                text.push_str("```\n\n");
            }
            let path = paths.rsplit_once(" b/").map_or(paths, |(_, path)| path);
            let _ = write!(text, "#### `{path}`\n```diff\n");
            position = None;
        } else if line.starts_with("@@") {
            match &mut position {
                // The first header of a file is position 0, so it carries no number.
                None => {
                    let _ = writeln!(text, "     {line}");
                    position = Some(0);
                }
                Some(count) => {
                    *count += 1;
                    let _ = writeln!(text, "{count:>4} {line}");
                }
            }
        } else if let Some(count) = &mut position {
            *count += 1;
            let _ = writeln!(text, "{count:>4} {line}");
        } else if line.starts_with("Binary files") {
            let _ = writeln!(text, "     {line}");
        }
        // Other lines before a file's first hunk (`index`, `---`, `+++`, modes) say nothing a
        // reviewer needs.
    }
    if !text.is_empty() {
        text.push_str("```\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_the_first_hunk_through_later_ones_per_file() {
        let diff = "\
diff --git a/src/lib.rs b/src/lib.rs
index 1111111..2222222 100644
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -1,3 +1,4 @@
 fn main() {
+    println!(\"hi\");
 }
@@ -10,2 +11,2 @@
-old
+new
diff --git a/README.md b/README.md
--- a/README.md
+++ b/README.md
@@ -1 +1 @@
-Hello
+Hello, world
";
        let expected = "\
#### `src/lib.rs`
```diff
     @@ -1,3 +1,4 @@
   1  fn main() {
   2 +    println!(\"hi\");
   3  }
   4 @@ -10,2 +11,2 @@
   5 -old
   6 +new
```

#### `README.md`
```diff
     @@ -1 +1 @@
   1 -Hello
   2 +Hello, world
```
";
        assert_eq!(with_positions(diff), expected);
    }

    #[test]
    fn binary_files_and_empty_diffs() {
        let diff =
            "diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n";
        assert_eq!(
            with_positions(diff),
            "#### `logo.png`\n```diff\n     Binary files a/logo.png and b/logo.png differ\n```\n"
        );
        assert_eq!(with_positions(""), "");
    }
}
