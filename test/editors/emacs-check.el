;;; emacs-check.el --- batch-mode Emacs (29+) check of the zfs-dio language server through eglot -*- lexical-binding: t -*-
;; Opens each file of ZFS_DIO_FILES (newline-separated) with eglot managing it the way docs/editors.md
;; configures it, waits until the server published its diagnostics and Flymake holds them, asks eglot for a
;; hover on the first one, and writes "<file> <RULE>:<line>" lines (1-based) to ZFS_DIO_OUT.
(require 'eglot)
(require 'flymake)
(require 'project)

(defvar zfs-dio-check-cli (getenv "ZFS_DIO_CLI"))
(defvar zfs-dio-check-failures nil)
(defvar zfs-dio-check-published (make-hash-table :test #'equal))

;; Emacs ships no Rust or Go major mode that works without tree-sitter grammars; these stand in for
;; rust-mode / go-mode (the server knows the language from the file name too).
(define-derived-mode zfs-dio-check-rust-mode prog-mode "Rust")
(define-derived-mode zfs-dio-check-go-mode prog-mode "Go")
(add-to-list 'auto-mode-alist '("\\.rs\\'" . zfs-dio-check-rust-mode))
(add-to-list 'auto-mode-alist '("\\.go\\'" . zfs-dio-check-go-mode))

(add-to-list 'eglot-server-programs
             `((c-mode c++-mode python-mode
                (zfs-dio-check-rust-mode :language-id "rust") (zfs-dio-check-go-mode :language-id "go"))
               . ("node" ,zfs-dio-check-cli "lsp" "--stdio")))
(setq-default eglot-workspace-configuration '(:zfsDio (:debounceMs 0)))
(setq eglot-sync-connect t eglot-autoshutdown t)

;; The workspace is the samples folder, not a version-control root.
(defun zfs-dio-check-project (dir)
  (let ((root (getenv "ZFS_DIO_WORKSPACE")))
    (when (file-in-directory-p dir root) (cons 'transient (file-name-as-directory root)))))
(add-hook 'project-find-functions #'zfs-dio-check-project)

(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri &allow-other-keys)
  (puthash uri t zfs-dio-check-published))

(defun zfs-dio-check-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun zfs-dio-check-code (diag)
  "The rule id of a Flymake diagnostic that eglot made from an LSP diagnostic."
  (let* ((data (flymake-diagnostic-data diag))
         (lsp (and (listp data) (alist-get 'eglot-lsp-diag data))))
    (or (and lsp (plist-get lsp :code))
        (let ((text (flymake-diagnostic-text diag)))
          (and (string-match "ZDIO[0-9]+" text) (match-string 0 text))))))

(let ((lines nil))
  (dolist (file (split-string (or (getenv "ZFS_DIO_FILES") "") "\n" t))
    (with-current-buffer (find-file-noselect file)
      (eglot-ensure)
      ;; eglot-ensure connects after the current command; a batch session runs no commands, so run that hook.
      (run-hooks 'post-command-hook)
      (unless (zfs-dio-check-wait (lambda () (eglot-managed-p)) 30)
        (push (format "FAIL eglot does not manage %s (%s)" file major-mode) zfs-dio-check-failures))
      (let ((uri (eglot-path-to-uri file)))
        (unless (zfs-dio-check-wait (lambda () (gethash uri zfs-dio-check-published)) 30)
          (push (format "FAIL no diagnostics published for %s" file) zfs-dio-check-failures)))
      ;; Flymake asks its backends when it starts; eglot then hands over what the server published.
      (flymake-start)
      (zfs-dio-check-wait (lambda () (flymake-diagnostics)) 10)
      (let ((diags (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
        (dolist (d diags)
          (push (format "%s %s:%d" file (zfs-dio-check-code d) (line-number-at-pos (flymake-diagnostic-beg d) t)) lines))
        (when diags
          (let* ((d (car diags))
                 (code (zfs-dio-check-code d))
                 (hover (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                         (save-excursion (goto-char (flymake-diagnostic-beg d)) (eglot--TextDocumentPositionParams))))
                 (text (or (plist-get (plist-get hover :contents) :value) "")))
            (unless (string-search (format "**%s**" code) text)
              (push (format "FAIL hover at %s lacks %s: %s" file code text) zfs-dio-check-failures)))))))
  (with-temp-file (getenv "ZFS_DIO_OUT")
    (dolist (l (reverse lines)) (insert l "\n"))
    (dolist (f (reverse zfs-dio-check-failures)) (insert f "\n")))
  (ignore-errors (eglot-shutdown-all))
  (kill-emacs 0))
;;; emacs-check.el ends here
