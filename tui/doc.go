// Package tui is btui's full-screen operator console built on bubbletea v2.
//
// Structure (STYLE.md §5.2):
//
//   - App is the root model and the only type whose View returns a tea.View (alt screen,
//     cell-motion mouse, window title). Its Update handles, in order: window size, the
//     background colour (styles are rebuilt for dark or light), global keys (quit, help,
//     page switching; skipped while a page captures the keyboard), app-wide messages
//     (banners, the head subscription and reconnects, wallet changes), then forwards to the
//     active page. Chain events and transaction results are broadcast to every page.
//   - Pages implement Page (Init, Update, View, SetSize, Title, ShortHelp, FullHelp,
//     Capturing): Overview, Wallets, Stake, Subnets (metagraph, hyperparameters), Register,
//     Weights, Chain and Simulation. The first-run screen creates or imports a wallet and,
//     on a fresh devnet (only the genesis subnets, with no neuron but their owner's; asked
//     with Options.OfferDemo), offers the demo market; Esc skips it.
//   - Simulations reach the console through the Simulator interface (tui may not import
//     sim): Start returns a Simulation whose updates (setup progress, one report per epoch,
//     the end) arrive through a command that blocks on its channel and is re-issued after
//     each message, like the head subscription. The Simulation page starts the demo or a
//     scenario file, pauses, resumes and stops it, and shows each epoch's team stake and
//     emission shares as a table and as charts.
//   - Common carries the styles (styles.go, from one semantic palette), the key map
//     (keys.go), the size, the chain client and the key store.
//   - No I/O in Update: every key-store or chain call is a tea.Cmd returning a typed message
//     with data or an error. New blocks arrive through a command that blocks on the
//     chainclient subscription and is re-issued after each head.
//   - tui imports ops, chainclient, protocol and wallet (never localchain). It reads the
//     chain's wire types (protocol.ChainInfo, Block, TxInfo, Event, SubnetInfo, NeuronInfo, …)
//     directly and parses TAO with protocol.ParseTAO, the one grammar of the CLI, the console
//     and scenario files; keys come through the Keys interface (implemented in cmd/btui), and
//     every transaction is an ops plan built inside the page's command (ops.go): the
//     commands' own preparation, its errors shown with the form's field labels, and the
//     unlocked key checked against the plan's signer before anything is signed.
//   - Persistent state (state.go): the last wallet, hotkey and page and the weights commits
//     waiting for their reveal live in a state file in the config directory.
//   - Operators' habits (habits.go, docs/console.md): the command line (`:`, cmdline.go),
//     copying with OSC 52 (`y`, clipboard.go), the message history (`!`, notify.go), the
//     address book (`@`, contacts.go: contacts.json beside the state file), the sort picker
//     (`s`, sort.go) and the sorts and subnet views remembered in the state file.
//   - The header's connection indicator (conn.go): live, stale for N s (values dimmed, the
//     node probed), reconnecting, different chain! (every page rebuilt).
//   - Widgets: a virtualised, filterable, sortable Table (renders only visible rows), plots
//     (Sparkline, BarChart, ColumnChart), dialogs (password with no echo, confirmation with
//     the command's preview, forms) and pure render helpers with x/ansi widths.
package tui
