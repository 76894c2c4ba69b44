// Our commands are opted into Tauri's ACL so that each window is granted only what it uses.
fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "bootstrap",
            "sign_in",
            "sign_in_status",
            "sign_in_reopen",
            "sign_in_cancel",
            "sign_out",
            "open_outbox",
            "reset_start",
            "reset_code",
            "reset_resend",
            "reset_answer",
            "reset_password",
            "reset_cancel",
            "connectivity",
            "registration_status",
            "registration_add_phone",
            "registration_add_email",
            "registration_confirm",
            "registration_resend",
            "registration_cancel",
            "registration_reconfirm",
            "registration_open_handoff",
            "registration_remove",
            "reset_portal_open",
            "password_expiry",
            "password_rules",
            "change_password",
        ]));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
