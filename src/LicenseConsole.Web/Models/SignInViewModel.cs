using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace LicenseConsole.Web.Models;

public sealed class SignInViewModel
{
    [Required(ErrorMessage = "Enter your email.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    [Printable]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [DataType(DataType.Password)]
    [StringLength(200)]
    [Printable]
    public string Password { get; set; } = "";

    [ModelBinder(typeof(CheckboxBinder))]
    public bool RememberMe { get; set; }

    [StringLength(2048)]
    [Printable]
    public string? ReturnUrl { get; set; }
}
