// Starts `policylint lsp` for the workspace and connects VS Code to it over stdio.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("policylint");
  const [command, ...args] = config.get("command", ["policylint", "lsp"]);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "markdown" },
    ],
    initializationOptions: { lang: config.get("lang"), asOf: config.get("asOf") },
  };
  client = new LanguageClient("policylint", "policylint", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
