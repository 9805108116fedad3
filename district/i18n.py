"""Dashboard wording, Vietnamese first (English via ?lang=en or the toggle)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

LANGS = ("vi", "en")

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Hạ tầng mạng trường học", "School network infrastructure"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "schools": ("Trường học", "Schools"),
    "school": ("Trường", "School"),
    "school_id": ("Mã trường", "School code"),
    "ward": ("Phường/xã", "Ward"),
    "all_wards": ("Tất cả phường/xã", "All wards"),
    "status": ("Kết quả", "Result"),
    "all_statuses": ("Mọi kết quả", "All results"),
    "stale_only": ("Chỉ trường lâu chưa gửi", "Only stale uploads"),
    "filter": ("Lọc", "Filter"),
    "last_upload": ("Lần gửi gần nhất", "Last upload"),
    "overall": ("Kết quả chung", "Overall"),
    "export_csv": ("Xuất CSV", "Export CSV"),
    "export_xlsx": ("Xuất Excel", "Export XLSX"),
    "shown": ("trường được hiển thị", "schools shown"),
    "pass": ("Đạt", "Pass"),
    "fail": ("Không đạt", "Fail"),
    "unknown": ("Chưa xác định", "Unknown"),
    "not_applicable": ("Không áp dụng", "Not applicable"),
    "none": ("Chưa có dữ liệu", "No data"),
    "never": ("chưa gửi", "never"),
    "today": ("hôm nay", "today"),
    "hours_ago": ("{n} giờ trước", "{n} h ago"),
    "days_ago": ("{n} ngày trước", "{n} days ago"),
    "stale": ("quá hạn", "stale"),
    "history": ("Lịch sử đánh giá", "Audit history"),
    "finished_at": ("Thời điểm đánh giá", "Audited at"),
    "received_at": ("Nhận lúc", "Received at"),
    "download": ("Tải xuống", "Download"),
    "upload": ("Tải lên", "Upload"),
    "bandwidth_trend": ("Băng thông Internet theo thời gian (Mbit/s)", "Internet bandwidth over time (Mbit/s)"),
    "no_measurements": ("Chưa có số đo băng thông.", "No bandwidth measurements yet."),
    "devices": ("Thiết bị", "Devices"),
    "device_count": ("Số thiết bị", "Device count"),
    "ip": ("Địa chỉ IP", "IP address"),
    "role": ("Vai trò", "Role"),
    "vendor": ("Hãng", "Vendor"),
    "model": ("Model", "Model"),
    "port_speed": ("Tốc độ cổng tối đa (Mbit/s)", "Fastest port (Mbit/s)"),
    "snmp": ("SNMP", "SNMP"),
    "report": ("Báo cáo", "Report"),
    "evidence": ("Chứng cứ (JSON)", "Evidence (JSON)"),
    "criteria": ("Tiêu chí", "Criteria"),
    "no_bundles": ("Trường chưa gửi kết quả đánh giá nào.", "The school has not uploaded any audit yet."),
    "back": ("← Danh sách trường", "← All schools"),
    "enrolled": ("Đã đăng ký agent", "Agent enrolled"),
    "not_enrolled": ("Chưa đăng ký agent", "Agent not enrolled"),
    "no": ("STT", "No."),
    "name": ("Tên trường", "School name"),
    "download_mbps": ("Internet tải xuống (Mbit/s)", "Internet download (Mbit/s)"),
    "upload_mbps": ("Internet tải lên (Mbit/s)", "Internet upload (Mbit/s)"),
    "measured": ("Đo được", "Measured"),
    "threshold": ("Ngưỡng", "Threshold"),
    "subject": ("Đối tượng", "Subject"),
    "reason": ("Lý do", "Reason"),
    "findings": ("Kết luận", "Findings"),
    "signed_by": ("Ký bởi khoá", "Signed by key"),
    # roles of devices
    "role_router": ("Bộ định tuyến", "Router"),
    "role_firewall": ("Tường lửa", "Firewall"),
    "role_switch": ("Bộ chuyển mạch", "Switch"),
    "role_access_point": ("Điểm phát Wi-Fi", "Access point"),
    "role_wireless_controller": ("Bộ điều khiển Wi-Fi", "Wireless controller"),
    "role_printer": ("Máy in", "Printer"),
    "role_other": ("Thiết bị khác", "Other"),
    "role_unknown": ("Chưa rõ", "Unknown"),
    # SNMP answers
    "snmp_ok": ("Trả lời đầy đủ", "Answered"),
    "snmp_partial": ("Trả lời một phần", "Partial answer"),
    "snmp_timeout": ("Không trả lời", "No answer"),
    "snmp_no_response": ("Không có SNMP", "No SNMP answer"),
    "snmp_auth_error": ("Sai thông tin SNMP", "SNMP credentials refused"),
    "snmp_error": ("Lỗi SNMP", "SNMP error"),
    "snmp_not_tried": ("Chưa thử", "Not tried"),
    # enrolment states
    "state_not_enrolled": ("Chưa đăng ký", "Not enrolled"),
    "state_never_uploaded": ("Đã đăng ký, chưa gửi", "Enrolled, never uploaded"),
    "state_revoked": ("Đã thu hồi mã", "Token revoked"),
    "state_uploading": ("Đang gửi", "Uploading"),
    # school levels
    "level": ("Cấp học", "Level"),
    "all_levels": ("Mọi cấp học", "All levels"),
    "level_mn": ("Mầm non", "Pre-school"),
    "level_th": ("Tiểu học", "Primary"),
    "level_thcs": ("THCS", "Lower secondary"),
    "level_thpt": ("THPT", "Upper secondary"),
    "level_gdtx": ("GDTX", "Continuing education"),
    "level_other": ("Khác", "Other"),
    # dashboard
    "search": ("Tìm theo tên hoặc mã", "Search name or code"),
    "criterion": ("Tiêu chí", "Criterion"),
    "any_criterion": ("Mọi tiêu chí", "Any criterion"),
    "criterion_status": ("Kết quả tiêu chí", "Criterion result"),
    "sort": ("Sắp xếp", "Sort"),
    "sort_ward": ("Phường/xã, mã trường", "Ward, code"),
    "sort_name": ("Tên trường", "Name"),
    "sort_overall": ("Kết quả (không đạt trước)", "Result (failing first)"),
    "sort_last": ("Lần gửi (cũ nhất trước)", "Last upload (oldest first)"),
    "summary": ("Tổng hợp", "Summary"),
    "counts": ("Số trường theo tiêu chí", "Schools per criterion"),
    "district_result": ("Kết quả toàn Phòng", "District result"),
    "of_schools": ("trường", "schools"),
    "latest_upload": ("Lần gửi mới nhất", "Latest upload"),
    "by_provenance": ("Theo nguồn", "By provenance"),
    "prov_measured": ("đo", "measured"),
    "prov_catalog": ("danh mục", "catalog"),
    "prov_inferred": ("suy luận", "inferred"),
    "prov_declared": ("khai báo", "declared"),
    "enrolment": ("Đăng ký", "Enrolment"),
    "clock_skew": ("Lệch đồng hồ", "Clock skew"),
    "skew_note": ("đồng hồ máy trường lệch {n} giây", "the school's clock is off by {n} s"),
    "future_note": (
        "thời điểm đánh giá ở tương lai: không dùng làm kết quả",
        "audit dated in the future: not used as the result",
    ),
    "failing_devices": ("Thiết bị không đạt / chưa xác định", "Failing or unknown devices"),
    "no_failures": ("Không có thiết bị nào không đạt.", "No device fails."),
    "attachments": ("Tệp đính kèm đã khai báo", "Declared attachments"),
    "no_attachments": ("Không có tệp đính kèm.", "No attachments."),
    "received": ("đã nhận", "received"),
    "missing": ("chưa nhận", "not received"),
    "size": ("Kích thước (byte)", "Size (bytes)"),
    "file_name": ("Tên tệp", "File name"),
    "subject_school": ("Toàn trường", "Whole school"),
    "disagreements": ("Khác biệt giữa trường và Phòng", "School vs district disagreements"),
    "school_says": ("Trường báo", "School says"),
    "district_says": ("Phòng tính", "District computes"),
    "revoke": ("Thu hồi mã tải lên", "Revoke upload token"),
    "revoked_ok": ("Đã thu hồi mã tải lên của trường.", "The school's upload token was revoked."),
    "audit_log": ("Nhật ký thao tác", "Audit log"),
    "at": ("Lúc", "At"),
    "actor": ("Người thực hiện", "Who"),
    "action": ("Thao tác", "Action"),
    "target": ("Đối tượng", "Target"),
    "detail": ("Chi tiết", "Detail"),
    "locked_out": (
        "Tài khoản tạm khoá do đăng nhập sai nhiều lần: thử lại sau {n} phút.",
        "Account locked after repeated failed logins: try again in {n} min.",
    ),
    "rate_limited": (
        "Quá nhiều lần đăng nhập từ địa chỉ này: thử lại sau {n} giây.",
        "Too many login attempts from this address: try again in {n} s.",
    ),
    "form_expired": ("Biểu mẫu đã hết hạn, vui lòng thử lại.", "The form expired; please try again."),
    "viewer_role": ("chỉ xem", "viewer"),
    "admin_role": ("quản trị", "admin"),
    "profile": ("Bộ tiêu chí", "Criteria profile"),
    "view_report": ("Xem báo cáo", "View report"),
}

VN_TZ = timezone(timedelta(hours=7), "UTC+7")

# school levels by the prefix of the school's code or name (data, longest first)
LEVEL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("THPT", "thpt"),
    ("THCS", "thcs"),
    ("GDTX", "gdtx"),
    ("TRUNG HỌC PHỔ THÔNG", "thpt"),
    ("TRUNG HỌC CƠ SỞ", "thcs"),
    ("TIỂU HỌC", "th"),
    ("MẦM NON", "mn"),
    ("MẪU GIÁO", "mn"),
    ("TH", "th"),
    ("MN", "mn"),
    ("MG", "mn"),
)
LEVELS = ("mn", "th", "thcs", "thpt", "gdtx", "other")


def school_level(school_id: str, name: str) -> str:
    """mn | th | thcs | thpt | gdtx | other, from the code's prefix, else the name (``Trường THCS …``)."""
    code = school_id.upper()
    for prefix, level in LEVEL_PREFIXES:
        if code.startswith(prefix) and (len(code) == len(prefix) or not code[len(prefix)].isalpha()):
            return level
    title = name.upper().removeprefix("TRƯỜNG ").strip()
    for prefix, level in LEVEL_PREFIXES:
        if title.startswith(prefix + " ") or title == prefix:
            return level
    return "other"


def vn_time(value: datetime | None) -> str:
    """Vietnam time in the one format the dashboard and exports use: ``20/11/2026 15:30`` (UTC+7)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def vn_time_text(text: str) -> str:
    """An ISO timestamp from a bundle in Vietnam time (the text itself when it is not one)."""
    try:
        return vn_time(datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return text


SYMBOLS = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–", "none": "·"}


def pick(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


def translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **values: object) -> str:
        pair = STRINGS.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t
