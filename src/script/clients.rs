//! boto3's surface in Rhai: `client(service, region)`, `session(account).client(...)`, one
//! method per API operation (generated from the cloud's operation table), waiters, paginators,
//! and `sleep`. Errors are thrown as `#{code, message, operation}` maps.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::{Dynamic, Engine, EvalAltResult, Map, NativeCallContext, Position, INT};
use serde_json::Value;

use super::convert::{from_json, throw, to_json};
use amilab_cloud::api::{self, SERVICES};
use amilab_cloud::paginators::{self, PaginateError, PaginationConfig, PaginatorSpec};
use amilab_cloud::waiters::{self, WaiterConfig, WaiterSpec};
use amilab_cloud::{is_account_id, CallError, Caller, Cloud};

type Shared = Rc<RefCell<Cloud>>;
type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

thread_local! {
    /// When the running script's time is up ([`crate::script::run`] sets it for a run).
    static STOP_AT: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
}

/// Sets (or with `None` clears) the real time at which API calls stop the script. The sandbox
/// reads the clock every 4,096 operations only, and one operation can be a whole API call: a
/// loop of heavy calls (a 100 KB filter, 2,000 SSM commands) ran 5 to 10 s past a 3 s
/// deadline. Every call, waiter and sleep now looks at the clock first.
pub fn set_stop_at(at: Option<std::time::Instant>) {
    STOP_AT.with(|s| s.set(at));
}

/// The deadline's own termination (a limit, not catchable) once the time is up.
pub(crate) fn check_time(ctx: &NativeCallContext) -> Result<()> {
    match STOP_AT.with(std::cell::Cell::get) {
        Some(at) if std::time::Instant::now() > at => Err(EvalAltResult::ErrorTerminated(
            Dynamic::from(super::sandbox::DEADLINE_TOKEN),
            ctx.call_position(),
        )
        .into()),
        _ => Ok(()),
    }
}

/// A service client bound to an account and a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub service: &'static str,
    pub region: String,
    pub account: String,
}

impl Client {
    fn caller(&self) -> Caller {
        Caller::new(self.account.clone(), self.region.clone())
    }

    /// How boto3 names the client class (`EC2`, `SSM`).
    fn class_name(&self) -> String {
        self.service.to_uppercase()
    }
}

/// Another account of the world (`session("444455556666")`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: String,
}

#[derive(Debug, Clone)]
pub struct Waiter {
    client: Client,
    spec: &'static WaiterSpec,
}

/// boto3's paginator (`ec2.get_paginator("describe_images")`).
#[derive(Debug, Clone)]
pub struct Paginator {
    client: Client,
    spec: &'static PaginatorSpec,
}

/// What `paginate` returns, like boto3's `PageIterator`: the pages, which `for page in …`
/// walks, plus `build_full_result()` and `resume_token`. Every page was fetched when
/// `paginate` ran (one API call each), so iterating twice makes no further calls.
#[derive(Debug, Clone)]
pub struct PageIterator {
    /// boto3's class name, for printing (`EC2.Paginator.DescribeImages`).
    class: String,
    pages: rhai::Array,
    full: Dynamic,
    resume_token: Option<String>,
}

impl IntoIterator for PageIterator {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;

    fn into_iter(self) -> Self::IntoIter {
        self.pages.into_iter()
    }
}

/// An error map as scripts catch it.
pub fn error_map(code: &str, message: &str, operation: &str) -> Dynamic {
    let mut map = Map::new();
    map.insert("code".into(), code.into());
    map.insert("message".into(), message.into());
    map.insert("operation".into(), operation.into());
    Dynamic::from_map(map)
}

fn fail(code: &str, message: String, operation: &str, pos: Position) -> Box<EvalAltResult> {
    throw(error_map(code, &message, operation), pos)
}

fn did_you_mean(typed: &str, valid: &[&str]) -> String {
    api::suggest(typed, valid)
        .map(|s| format!(" Did you mean '{s}'?"))
        .unwrap_or_default()
}

/// Registers the whole boto3 surface on `engine`. With `read_only`, mutating operations are
/// refused (graders' checks inspect the cloud and may not change it).
pub fn register(engine: &mut Engine, cloud: Shared, learner_account: &str, read_only: bool) {
    engine
        .register_type_with_name::<Client>("Client")
        .register_type_with_name::<Session>("Session")
        .register_type_with_name::<Waiter>("Waiter")
        .register_type_with_name::<Paginator>("Paginator")
        .register_type_with_name::<PageIterator>("PageIterator")
        .register_iterator::<PageIterator>();

    let account = learner_account.to_string();
    let regions = {
        let c = cloud.borrow();
        c.region_names().map(str::to_string).collect::<Vec<_>>()
    };
    let make_client = move |ctx: &NativeCallContext,
                            account: &str,
                            service: &str,
                            region: &str|
          -> Result<Client> {
        let Some(service) = SERVICES.iter().find(|s| **s == service) else {
            return Err(fail(
                "UnknownServiceError",
                format!(
                    "Unknown service: '{service}'. Valid service names are: {}.{}",
                    SERVICES.join(", "),
                    did_you_mean(service, SERVICES)
                ),
                "client",
                ctx.call_position(),
            ));
        };
        if !regions.iter().any(|r| r == region) {
            let names: Vec<&str> = regions.iter().map(String::as_str).collect();
            return Err(fail(
                "InvalidRegion",
                format!(
                    "Unknown region: '{region}'. Regions of this world: {}.{}",
                    names.join(", "),
                    did_you_mean(region, &names)
                ),
                "client",
                ctx.call_position(),
            ));
        }
        Ok(Client {
            service,
            region: region.to_string(),
            account: account.to_string(),
        })
    };
    let make_client = Rc::new(make_client);

    {
        let (mk, account) = (make_client.clone(), account.clone());
        engine.register_fn(
            "client",
            move |ctx: NativeCallContext, service: &str, region: &str| {
                mk(&ctx, &account, service, region)
            },
        );
    }
    {
        // boto3 falls back to the configured default region; ours is us-east-1.
        let (mk, account) = (make_client.clone(), account.clone());
        engine.register_fn("client", move |ctx: NativeCallContext, service: &str| {
            mk(&ctx, &account, service, "us-east-1")
        });
    }
    {
        let mk = make_client.clone();
        engine.register_fn(
            "client",
            move |ctx: NativeCallContext, session: &mut Session, service: &str, region: &str| {
                mk(&ctx, &session.account, service, region)
            },
        );
    }
    engine.register_fn("session", |ctx: NativeCallContext, account: &str| -> Result<Session> {
        if !is_account_id(account) {
            return Err(fail(
                "InvalidAccountId",
                format!("'{account}' is not an AWS account id: an account id is exactly 12 digits, like \"444455556666\"."),
                "session",
                ctx.call_position(),
            ));
        }
        Ok(Session { account: account.to_string() })
    });
    engine.register_fn(
        "session",
        |ctx: NativeCallContext, account: INT| -> Result<Session> {
            Err(fail(
                "InvalidAccountId",
                format!("session() takes the account id as a string: session(\"{account:012}\")."),
                "session",
                ctx.call_position(),
            ))
        },
    );
    engine
        .register_get("region", |c: &mut Client| c.region.clone())
        .register_get("service", |c: &mut Client| c.service.to_string())
        .register_get("account", |s: &mut Session| s.account.clone())
        .register_fn("to_string", |c: &mut Client| {
            format!("<botocore.client.{} {}>", c.class_name(), c.region)
        })
        .register_fn("to_debug", |c: &mut Client| {
            format!("<botocore.client.{} {}>", c.class_name(), c.region)
        })
        .register_fn("to_string", |s: &mut Session| {
            format!("Session(account_id='{}')", s.account)
        });

    // One Rhai method per distinct boto3 method name; the service is checked at call time, as
    // an `ssm` client has no `create_image`.
    for name in api::method_names() {
        let (c1, n1) = (cloud.clone(), name.clone());
        engine.register_fn(
            name.as_str(),
            move |ctx: NativeCallContext, client: &mut Client, params: Dynamic| {
                invoke(&ctx, &c1, read_only, client, &n1, params)
            },
        );
        let (c0, n0) = (cloud.clone(), name.clone());
        engine.register_fn(
            name.as_str(),
            move |ctx: NativeCallContext, client: &mut Client| {
                invoke(
                    &ctx,
                    &c0,
                    read_only,
                    client,
                    &n0,
                    Dynamic::from_map(Map::new()),
                )
            },
        );
    }

    engine.register_fn(
        "get_waiter",
        |ctx: NativeCallContext, client: &mut Client, name: &str| -> Result<Waiter> {
            match waiters::waiter(client.service, name) {
                Some(spec) => Ok(Waiter {
                    client: client.clone(),
                    spec,
                }),
                None => {
                    let valid = waiters::waiter_names(client.service);
                    // boto3 gives some clients no waiters at all (autoscaling, kms, ce): say so,
                    // and what to do instead, rather than list nothing.
                    let listed = if valid.is_empty() {
                        " The client has no waiters (as in boto3): poll its describe call with sleep() in a loop.".to_string()
                    } else {
                        format!(
                            " Waiters of the {} client: {}.{}",
                            client.class_name(),
                            valid.join(", "),
                            did_you_mean(name, &valid)
                        )
                    };
                    Err(fail(
                        "ValueError",
                        format!("Waiter does not exist: {name}.{listed}"),
                        "get_waiter",
                        ctx.call_position(),
                    ))
                }
            }
        },
    );
    {
        let c = cloud.clone();
        engine.register_fn(
            "wait",
            move |ctx: NativeCallContext, waiter: &mut Waiter, params: Dynamic| {
                wait(&ctx, &c, waiter, params)
            },
        );
    }
    {
        let c = cloud.clone();
        engine.register_fn(
            "wait",
            move |ctx: NativeCallContext, waiter: &mut Waiter| {
                wait(&ctx, &c, waiter, Dynamic::from_map(Map::new()))
            },
        );
    }

    register_paginators(engine, &cloud, read_only);

    {
        let c = cloud.clone();
        engine.register_fn("sleep", move |ctx: NativeCallContext, seconds: INT| {
            sleep(&ctx, &c, seconds as f64)
        });
    }
    {
        let c = cloud;
        engine.register_fn(
            "sleep",
            move |ctx: NativeCallContext, seconds: rhai::FLOAT| sleep(&ctx, &c, seconds),
        );
    }
}

/// `get_paginator`, `can_paginate`, `paginate` and what a `PageIterator` offers.
fn register_paginators(engine: &mut Engine, cloud: &Shared, read_only: bool) {
    engine.register_fn(
        "get_paginator",
        |ctx: NativeCallContext, client: &mut Client, name: &str| -> Result<Paginator> {
            match paginators::paginator(client.service, name) {
                Some(spec) => Ok(Paginator {
                    client: client.clone(),
                    spec,
                }),
                None => {
                    let valid = paginators::paginator_names(client.service);
                    let listed = if valid.is_empty() {
                        format!(" The {} client has no paginators.", client.class_name())
                    } else {
                        format!(
                            " Paginators of the {} client: {}.",
                            client.class_name(),
                            valid.join(", ")
                        )
                    };
                    Err(fail(
                        "OperationNotPageableError",
                        format!(
                            "Operation cannot be paginated: {name}.{listed}{}",
                            did_you_mean(name, &valid)
                        ),
                        "get_paginator",
                        ctx.call_position(),
                    ))
                }
            }
        },
    );
    engine.register_fn("can_paginate", |client: &mut Client, name: &str| {
        paginators::paginator(client.service, name).is_some()
    });
    {
        let c = cloud.clone();
        engine.register_fn(
            "paginate",
            move |ctx: NativeCallContext, paginator: &mut Paginator, params: Dynamic| {
                paginate(&ctx, &c, read_only, paginator, params)
            },
        );
    }
    {
        let c = cloud.clone();
        engine.register_fn(
            "paginate",
            move |ctx: NativeCallContext, paginator: &mut Paginator| {
                paginate(
                    &ctx,
                    &c,
                    read_only,
                    paginator,
                    Dynamic::from_map(Map::new()),
                )
            },
        );
    }
    engine
        .register_fn("build_full_result", |it: &mut PageIterator| it.full.clone())
        .register_get("resume_token", |it: &mut PageIterator| {
            it.resume_token.clone().map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_fn("len", |it: &mut PageIterator| it.pages.len() as INT)
        .register_fn("is_empty", |it: &mut PageIterator| it.pages.is_empty())
        .register_indexer_get(
            |ctx: NativeCallContext, it: &mut PageIterator, index: INT| -> Result<Dynamic> {
                let len = it.pages.len();
                let at = if index < 0 {
                    usize::try_from(index.unsigned_abs())
                        .ok()
                        .and_then(|back| len.checked_sub(back))
                } else {
                    usize::try_from(index).ok().filter(|i| *i < len)
                };
                at.and_then(|i| it.pages.get(i).cloned()).ok_or_else(|| {
                    fail(
                        "IndexError",
                        format!("Page index {index} is out of range: there are {len} pages."),
                        "paginate",
                        ctx.call_position(),
                    )
                })
            },
        )
        .register_fn("to_string", |p: &mut Paginator| paginator_repr(p))
        .register_fn("to_debug", |p: &mut Paginator| paginator_repr(p))
        .register_fn("to_string", |it: &mut PageIterator| page_iterator_repr(it))
        .register_fn("to_debug", |it: &mut PageIterator| page_iterator_repr(it));
}

fn paginator_repr(p: &Paginator) -> String {
    format!(
        "<botocore.client.{}.Paginator.{} object>",
        p.client.class_name(),
        p.spec.operation()
    )
}

fn page_iterator_repr(it: &PageIterator) -> String {
    format!(
        "<botocore.paginate.PageIterator of {}: {} pages>",
        it.class,
        it.pages.len()
    )
}

/// The keys of `pagination_config`, boto3's `PaginationConfig` (`MaxItems`, `PageSize`,
/// `StartingToken`) converted as every other key.
const PAGINATION_CONFIG_KEYS: &[&str] = &["max_items", "page_size", "starting_token"];

/// Takes `pagination_config` out of a `paginate` request (boto3 passes it beside the
/// operation's parameters).
fn pagination_config(json: &mut Value) -> std::result::Result<PaginationConfig, String> {
    let mut config = PaginationConfig::default();
    let Some(raw) = json
        .as_object_mut()
        .and_then(|o| o.remove("pagination_config"))
    else {
        return Ok(config);
    };
    let invalid = |key: &str, value: &Value, expected: &str| {
        format!("Invalid type for parameter pagination_config.{key}, value: {value}, valid types: {expected}")
    };
    let Value::Object(raw) = raw else {
        return Err(format!(
            "Invalid type for parameter pagination_config, value: {raw}, valid types: map"
        ));
    };
    for (key, value) in &raw {
        match key.as_str() {
            "max_items" => {
                if !value.is_null() {
                    let n = value
                        .as_i64()
                        .ok_or_else(|| invalid(key, value, "integer"))?;
                    config.max_items = Some(usize::try_from(n).map_err(|_| {
                        format!("Invalid value for parameter pagination_config.max_items, value: {n}, valid min value: 0")
                    })?);
                }
            }
            "page_size" => {
                if !value.is_null() {
                    config.page_size = Some(
                        value
                            .as_i64()
                            .ok_or_else(|| invalid(key, value, "integer"))?,
                    );
                }
            }
            "starting_token" => {
                config.starting_token = match value {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    other => return Err(invalid(key, other, "string")),
                }
            }
            other => {
                let mut line = format!(
                    "Unknown parameter in pagination_config: \"{other}\", must be one of: {}",
                    PAGINATION_CONFIG_KEYS.join(", ")
                );
                if let Some(s) = api::suggest(other, PAGINATION_CONFIG_KEYS) {
                    line.push_str(&format!(". Did you mean \"{s}\"?"));
                }
                return Err(line);
            }
        }
    }
    Ok(config)
}

fn paginate(
    ctx: &NativeCallContext,
    cloud: &Shared,
    read_only: bool,
    paginator: &Paginator,
    params: Dynamic,
) -> Result<PageIterator> {
    let spec = paginator.spec;
    let operation = spec.operation();
    if read_only && api::operation(spec.service(), spec.name()).is_some_and(|op| op.mutating) {
        return Err(fail(
            "ReadOnly",
            format!("{operation} changes the cloud, and checks may only look at it."),
            operation,
            ctx.call_position(),
        ));
    }
    let mut json = params_json(ctx, &params, operation)?;
    let config = pagination_config(&mut json).map_err(|line| {
        fail(
            "ParamValidationError",
            format!("Parameter validation failed:\n{line}"),
            operation,
            ctx.call_position(),
        )
    })?;
    let caller = paginator.client.caller();
    let result = cloud.borrow_mut().paginate(&caller, spec, json, config);
    match result {
        Ok(pages) => Ok(PageIterator {
            class: format!("{}.Paginator.{operation}", paginator.client.class_name()),
            full: from_json(pages.build_full_result()),
            resume_token: pages.resume_token().map(str::to_string),
            pages: pages.into_pages().into_iter().map(from_json).collect(),
        }),
        Err(PaginateError::Call(e)) => Err(call_error(ctx, e, operation)),
        Err(e @ PaginateError::BadStartingToken(_)) => Err(fail(
            "ValueError",
            e.to_string(),
            "paginate",
            ctx.call_position(),
        )),
        Err(e @ PaginateError::Pagination(_)) => Err(fail(
            "PaginationError",
            e.to_string(),
            "paginate",
            ctx.call_position(),
        )),
    }
}

/// The longest single sleep: a day of simulated time.
const MAX_SLEEP_SECONDS: f64 = 86_400.0;

fn sleep(ctx: &NativeCallContext, cloud: &Shared, seconds: f64) -> Result<()> {
    check_time(ctx)?;
    if !(0.0..=MAX_SLEEP_SECONDS).contains(&seconds) {
        return Err(fail(
            "ValueError",
            format!(
                "sleep() takes 0 to {MAX_SLEEP_SECONDS} seconds of simulated time, not {seconds}."
            ),
            "sleep",
            ctx.call_position(),
        ));
    }
    cloud.borrow_mut().advance(seconds.ceil() as u64);
    Ok(())
}

fn params_json(ctx: &NativeCallContext, params: &Dynamic, operation: &str) -> Result<Value> {
    check_time(ctx)?;
    if !params.is_map() {
        return Err(fail(
            "ParamValidationError",
            format!(
                "Parameter validation failed:\nThe parameters must be an object map such as #{{image_ids: [\"ami-...\"]}}, not {}.",
                params.type_name()
            ),
            operation,
            ctx.call_position(),
        ));
    }
    to_json(params).map_err(|e| {
        fail(
            "ParamValidationError",
            format!("Parameter validation failed:\n{e}"),
            operation,
            ctx.call_position(),
        )
    })
}

fn invoke(
    ctx: &NativeCallContext,
    cloud: &Shared,
    read_only: bool,
    client: &Client,
    method: &str,
    params: Dynamic,
) -> Result<Dynamic> {
    let Some(op) = api::operation(client.service, method) else {
        let valid = api::methods(client.service);
        let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
        return Err(fail(
            "AttributeError",
            format!(
                "'{}' object has no attribute '{method}'.{}",
                client.class_name(),
                did_you_mean(method, &valid)
            ),
            method,
            ctx.call_position(),
        ));
    };
    if read_only && op.mutating {
        return Err(fail(
            "ReadOnly",
            format!(
                "{} changes the cloud, and checks may only look at it.",
                op.name
            ),
            op.name,
            ctx.call_position(),
        ));
    }
    let json = params_json(ctx, &params, op.name)?;
    let result = cloud
        .borrow_mut()
        .call(&client.caller(), client.service, method, json);
    match result {
        Ok(value) => Ok(from_json(value)),
        Err(e) => Err(call_error(ctx, e, op.name)),
    }
}

fn call_error(ctx: &NativeCallContext, e: CallError, operation: &str) -> Box<EvalAltResult> {
    match e {
        CallError::Param(m) => fail("ParamValidationError", m, operation, ctx.call_position()),
        CallError::Aws(e) => fail(&e.code, e.message, operation, ctx.call_position()),
        CallError::Waiter(m) => fail("WaiterError", m, operation, ctx.call_position()),
        e @ CallError::NotSimulated { .. } => fail(
            "NotSimulated",
            e.to_string(),
            operation,
            ctx.call_position(),
        ),
    }
}

fn wait(
    ctx: &NativeCallContext,
    cloud: &Shared,
    waiter: &mut Waiter,
    params: Dynamic,
) -> Result<()> {
    let mut json = params_json(ctx, &params, "wait")?;
    // boto3 passes WaiterConfig beside the request parameters.
    let mut config = WaiterConfig::default();
    if let Some(obj) = json.as_object_mut() {
        if let Some(cfg) = obj.remove("waiter_config") {
            for key in cfg
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                if key != "delay" && key != "max_attempts" {
                    return Err(fail(
                        "ParamValidationError",
                        format!("Parameter validation failed:\nUnknown parameter in waiter_config: \"{key}\", must be one of: delay, max_attempts"),
                        "wait",
                        ctx.call_position(),
                    ));
                }
            }
            config.delay = cfg.get("delay").and_then(Value::as_u64);
            config.max_attempts = cfg
                .get("max_attempts")
                .and_then(Value::as_u64)
                .map(|n| n.min(1000) as u32);
        }
    }
    let caller = waiter.client.caller();
    let result = cloud.borrow_mut().wait(&caller, waiter.spec, json, config);
    result.map_err(|e| call_error(ctx, e, "wait"))
}
