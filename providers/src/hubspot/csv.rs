//! CSV as the reference integration writes it: a header of property names, every cell quoted,
//! quotes doubled, a missing value as an empty cell.

use super::types::CrmObject;

/// The CSV of `objects`' `columns`.
pub fn write(columns: &[String], objects: &[CrmObject]) -> String {
    let mut text = columns.join(",");
    text.push('\n');
    for object in objects {
        let row: Vec<String> = columns
            .iter()
            .map(|column| {
                let value = match column.as_str() {
                    // The id is the object's, not a property.
                    "id" | "hs_object_id" => object.get(column).unwrap_or(&object.id),
                    _ => object.get(column).unwrap_or_default(),
                };
                format!("\"{}\"", value.replace('"', "\"\""))
            })
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_quoted_and_missing_ones_empty() {
        let objects: Vec<CrmObject> = serde_json::from_value(json!([
            {"id": "51", "properties": {"firstname": "Ana", "company": "Say \"hi\", Inc."}},
            {"id": "52", "properties": {"firstname": null}}
        ]))
        .unwrap();
        let columns = [
            "id".to_owned(),
            "firstname".to_owned(),
            "company".to_owned(),
        ];
        assert_eq!(
            write(&columns, &objects),
            "id,firstname,company\n\"51\",\"Ana\",\"Say \"\"hi\"\", Inc.\"\n\"52\",\"\",\"\"\n"
        );
    }
}
