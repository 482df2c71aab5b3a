//! The `oversight` binary: parse the command line, run one command, map the outcome to an exit
//! code (0 success, 1 the content has errors, 2 usage or I/O failure).

use std::process::ExitCode;

use clap::Parser;
use oversight::cli::{Cli, Command};
use oversight::commands::{self, Outcome};

fn main() -> ExitCode {
    cap_malloc_arenas();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // clap exits 0 for --help and --version, 2 for usage errors.
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    oversight::ui::configure(cli.quiet, cli.verbose, cli.color);
    oversight::detach_removals();
    // The language server writes standard output from its own thread: it must not be locked here.
    if let Command::Lsp = cli.command {
        return exit_code(commands::lsp::run());
    }
    let stdout = &mut commands::Stdout::lock();
    let result = match &cli.command {
        Command::Init(args) => commands::init::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Build(args) => commands::build::run(args),
        Command::Papers(args) => commands::papers::run(args),
        Command::Minutes(args) => commands::minutes::run(args),
        Command::Generate(args) => {
            let spec = oversight::generate::Spec {
                organisations: args.organisations,
                pages: args.pages,
                papers: args.papers,
                papers_per_meeting: args.papers_per_meeting,
                seed: args.seed,
            };
            if args.output.join("content").exists() {
                Err(commands::Failure(format!("{} already has a content/ folder", args.output.display())))
            } else {
                oversight::generate::generate(&args.output, &spec)
                    .map(|()| Outcome::Success)
                    .map_err(|e| commands::Failure(format!("cannot write {}: {e}", args.output.display())))
            }
        }
        Command::Serve(args) => {
            let options = oversight::serve::ServeOptions {
                site: args.site.clone(),
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                private: args.publish_private,
                poll: args.poll,
                open: args.open,
            };
            oversight::serve::run(&options, commands::today()).map(|()| Outcome::Success).map_err(commands::Failure)
        }
        Command::Lsp => commands::lsp::run(),
        Command::Timeline(args) => commands::timeline::run(args, stdout),
        Command::Import(args) => commands::import::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Rules { format } => commands::rules::list(*format, stdout),
        Command::Explain { rule } => commands::rules::explain(rule, stdout),
        Command::Schema(args) => commands::schema::run(args),
        Command::Docs(args) => commands::docs::run(args.name.as_deref(), args.output.as_deref(), stdout),
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut oversight::cli::user_command(), "oversight", stdout);
            Ok(Outcome::Success)
        }
        Command::Man => clap_mangen::Man::new(oversight::cli::user_command())
            .render(stdout)
            .map(|()| Outcome::Success)
            .map_err(|e| commands::Failure(format!("cannot write the manual page: {e}"))),
        Command::RemoveReplaced { folders } => {
            oversight::remove_replaced(folders).map(|()| Outcome::Success).map_err(|e| commands::Failure(e.to_string()))
        }
    };
    exit_code(result)
}

fn exit_code(result: Result<Outcome, commands::Failure>) -> ExitCode {
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ContentErrors) => ExitCode::from(1),
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
    }
}

/// glibc gives threads that allocate at once arenas of their own, up to eight per core, and
/// what a page's rendering frees in one arena is not reused by another: one arena per core
/// keeps a large build's peak memory down (50,000 pages: 200 → 184 MiB) at the same speed
/// (`docs/performance.md`). `MALLOC_ARENA_MAX`, if set, is left to decide.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets a limit of the allocator; it is called before any thread
        // is started.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}
