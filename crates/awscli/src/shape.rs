//! What a value of an operation's input or output is, as the CLI sees it: botocore's shape
//! types (`string`, `integer`, `list`, `map`, `structure`, …), derived from the simulation's own
//! request and response types rather than copied from botocore's model.

/// A value's type, as botocore's model names them.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `string` (also enums, which the CLI takes as plain strings).
    String,
    /// `integer` or `long`.
    Integer,
    /// `float` or `double`.
    Float,
    /// `boolean`.
    Boolean,
    /// `timestamp`: ISO-8601 text or seconds since the Unix epoch on the way in.
    Timestamp,
    /// A document or a value the simulation leaves open: taken as JSON as written.
    Any,
    /// `list`: the members' shape.
    List(Box<Shape>),
    /// `map`: keys chosen by the caller (never renamed), values of this shape.
    Map(Box<Shape>),
    /// `structure`: named members, in the order the operation declares them.
    Structure(Vec<Member>),
}

/// One member of a [`Shape::Structure`].
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The member's name on the wire, as the API, the CLI's JSON and shorthand spell it:
    /// `ImageId`, `BlockDeviceMappings`, Image Builder's `imagePipelineArn`.
    pub name: String,
    /// boto3's key for it, botocore's `xform_name` of [`Member::name`]: `image_id`.
    pub key: String,
    /// What its value is.
    pub shape: Shape,
    /// The operation refuses a request without it.
    pub required: bool,
    /// What it means, in a sentence or a paragraph (for `help`); may be empty.
    pub documentation: String,
}
